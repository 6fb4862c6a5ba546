"""An online event of the test programme: one morning session of six 20-minute slots on two
days that straddle the end of summer time in Europe (25 October 2020), two SMEs of the
programme and a buyer in Shanghai."""

from datetime import date, time

import pytest

from metacluster.events.choices import ParticipantKind
from metacluster.events.models import Event, Participant, Session


@pytest.fixture
def event(programme):
    event = Event.objects.create(
        programme=programme,
        title="Smart City Matchmaking",
        time_zone="Europe/Stockholm",
        slot_minutes=20,
        pause_minutes=0,
    )
    for day in (date(2020, 10, 24), date(2020, 10, 26)):
        Session.objects.create(
            event=event, name="Morning", date=day, start_time=time(9), end_time=time(11)
        )
    event.regenerate_slots()
    return event


@pytest.fixture
def sme_participant(event, company):
    return Participant.objects.create(
        event=event,
        kind=ParticipantKind.SME,
        company=company,
        organisation=company.name,
        country="SE",
        time_zone="Europe/Stockholm",
    )


@pytest.fixture
def other_participant(event, other_company):
    return Participant.objects.create(
        event=event,
        kind=ParticipantKind.SME,
        company=other_company,
        organisation=other_company.name,
        country="EE",
        time_zone="Europe/Tallinn",
    )


@pytest.fixture
def buyer(event):
    return Participant.objects.create(
        event=event,
        kind=ParticipantKind.BUYER,
        organisation="Shanghai Smart Lighting Co",
        email="buyer@example.cn",
        country="CN",
        time_zone="Asia/Shanghai",
    )


@pytest.fixture
def buyer_key(buyer):
    return buyer.issue_link()
