"""Specification of the automatic reminders: each goes to the right people once, in their
language and time zone, and never to a user who switched reminders off. Dates are fixed."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from metacluster.accounts.choices import Role
from metacluster.conftest import make_user
from metacluster.events.models import Meeting, MeetingRequest
from metacluster.events.tests.conftest import (  # noqa: F401 (fixtures)
    buyer,
    event,
    sme_participant,
)
from metacluster.outreach.models import ReminderLog, ReminderSetting
from metacluster.outreach.reminders import (
    send_all_reminders,
    send_assessment_reminders,
    send_meeting_reminders,
    send_report_reminders,
    send_request_reminders,
)
from metacluster.readiness.workflows import start_assessment
from metacluster.reporting.models import ReportingPeriod
from metacluster.servicerequests.models import ServiceRequest


def switch_off(user):
    ReminderSetting.objects.update_or_create(user=user, defaults={"reminders": False})


# --- assessment unfinished -------------------------------------------------------------


@pytest.fixture
def draft_assessment(programme, company, advisor, sme_user):
    with time_machine.travel(datetime(2021, 3, 1, 9, tzinfo=UTC), tick=False):
        return start_assessment(programme, company, by=sme_user)


def test_an_unfinished_assessment_reminds_the_sme_users_after_the_delay_once(
    draft_assessment, sme_user, other_company, mailoutbox
):
    make_user("other-sme", company=other_company, role=Role.SME)  # not its company
    assert send_assessment_reminders(now=datetime(2021, 3, 10, tzinfo=UTC), days=14) == 0
    later = datetime(2021, 3, 16, tzinfo=UTC)
    assert send_assessment_reminders(now=later, days=14) == 1
    assert mailoutbox[0].to == [sme_user.email]
    assert "2021-03-01" in mailoutbox[0].body
    assert send_assessment_reminders(now=later + timedelta(days=3), days=14) == 0
    assert len(mailoutbox) == 1


def test_a_completed_assessment_or_a_switched_off_user_gets_no_reminder(
    draft_assessment, sme_user, mailoutbox
):
    switch_off(sme_user)
    assert send_assessment_reminders(now=datetime(2021, 4, 1, tzinfo=UTC)) == 0
    assert mailoutbox == []


def test_a_reminder_is_in_the_recipients_language(draft_assessment, sme_user, mailoutbox):
    sme_user.language = "de"
    sme_user.save()
    send_assessment_reminders(now=datetime(2021, 4, 1, tzinfo=UTC))
    # The catalogue may not translate the sentence yet; the language is still switched.
    assert mailoutbox[0].to == [sme_user.email]


# --- meeting tomorrow ------------------------------------------------------------------


@pytest.fixture
def meeting(event, sme_participant, buyer):  # noqa: F811
    event.video_base_url = "https://meet.example.org/"
    event.save()
    request = MeetingRequest.objects.create(
        event=event,
        sender=sme_participant,
        recipient=buyer,
        status="accepted",
        expires_at=datetime(2020, 10, 20, tzinfo=UTC),
    )
    return Meeting.objects.create(event=event, request=request, slot=event.slots.first())


def test_a_meeting_tomorrow_reminds_both_sides_in_their_time_zones_with_the_video_link(
    meeting, sme_user, mailoutbox
):
    # The first slot: 24 October 2020, 09:00 in Stockholm (07:00 UTC), 15:00 in Shanghai.
    assert send_meeting_reminders(now=datetime(2020, 10, 22, 12, tzinfo=UTC)) == 0
    assert send_meeting_reminders(now=datetime(2020, 10, 23, 12, tzinfo=UTC)) == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {sme_user.email, "buyer@example.cn"}
    assert "2020-10-24 15:00 (Asia/Shanghai)" in by_address["buyer@example.cn"].body
    assert "2020-10-24 09:00 (Europe/Stockholm)" in by_address[sme_user.email].body
    assert "Shanghai Smart Lighting Co" in by_address[sme_user.email].body
    for mail in mailoutbox:
        assert "https://meet.example.org/" + meeting.room in mail.body
    assert send_meeting_reminders(now=datetime(2020, 10, 23, 18, tzinfo=UTC)) == 0


def test_a_cancelled_meeting_or_a_switched_off_user_is_not_reminded(meeting, sme_user, mailoutbox):
    switch_off(sme_user)
    assert send_meeting_reminders(now=datetime(2020, 10, 23, 12, tzinfo=UTC)) == 1
    assert mailoutbox[0].to == ["buyer@example.cn"]
    meeting.status = "cancelled"
    meeting.save()
    ReminderLog.objects.all().delete()
    assert send_meeting_reminders(now=datetime(2020, 10, 23, 12, tzinfo=UTC)) == 0


# --- service request overdue -----------------------------------------------------------


def test_an_overdue_request_reminds_the_answering_partners_advisors_once(
    training, company, lead_org, partner_org, advisor, manager, mailoutbox
):
    # training is offered by partner_org; the manager (lead_org) referred the company.
    colleague = make_user("colleague", organisation=partner_org, role=Role.ADVISOR)
    switch_off(colleague)
    make_user("partner-viewer", organisation=partner_org, role=Role.VIEWER)
    ServiceRequest.objects.create(
        service=training,
        company=company,
        referring_organisation=lead_org,
        due_date=date(2021, 5, 1),
    )
    assert send_request_reminders(now=datetime(2021, 5, 1, 12, tzinfo=UTC)) == 0
    assert send_request_reminders(now=datetime(2021, 5, 2, 12, tzinfo=UTC)) == 1
    assert mailoutbox[0].to == [advisor.email]
    assert "2021-05-01" in mailoutbox[0].body
    assert send_request_reminders(now=datetime(2021, 5, 9, 12, tzinfo=UTC)) == 0


def test_a_closed_request_is_not_overdue(training, company, lead_org, advisor, mailoutbox):
    ServiceRequest.objects.create(
        service=training,
        company=company,
        referring_organisation=lead_org,
        due_date=date(2021, 5, 1),
        status="declined",
    )
    assert send_request_reminders(now=datetime(2021, 6, 1, tzinfo=UTC)) == 0


# --- report due ------------------------------------------------------------------------


def test_an_ended_period_without_report_reminds_the_programmes_managers(
    programme, manager, advisor, outsider, partner_org, mailoutbox
):
    partner_manager = make_user("partner-manager", organisation=partner_org, role=Role.MANAGER)
    ReportingPeriod.objects.create(
        programme=programme,
        number=1,
        start=date(2020, 1, 1),
        end=date(2020, 6, 30),
        due_on=date(2020, 8, 31),
    )
    assert send_report_reminders(now=datetime(2020, 6, 30, 12, tzinfo=UTC)) == 0
    assert send_report_reminders(now=datetime(2020, 7, 1, 12, tzinfo=UTC)) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([manager.email, partner_manager.email])
    assert "2020-08-31" in mailoutbox[0].body
    assert send_report_reminders(now=datetime(2020, 7, 8, 12, tzinfo=UTC)) == 0


# --- all kinds, and the command --------------------------------------------------------


def test_send_reminders_sends_every_kind(draft_assessment, sme_user, mailoutbox):
    with time_machine.travel(datetime(2021, 4, 1, 6, tzinfo=UTC), tick=False):
        assert send_all_reminders()["assessment"] == 1
        call_command("send_reminders")
    assert len(mailoutbox) == 1


def test_the_switch_is_a_page_of_ones_own(client, sme_user):
    client.force_login(sme_user)
    assert client.get("/outreach/reminders/").status_code == 200
    client.post("/outreach/reminders/", {})
    assert not ReminderSetting.wants_reminders(sme_user)
