"""Demo records of matchmaking events, added to the demo programmes by `metacluster load-demo`.

- 4SmartGrowth's digital matchmaking of November 2020 (online): Central Baltic SMEs with
  buyers in China, Vietnam and Chile, in sessions placed where both sides are awake; a final
  agenda scheduled by the organiser, outcomes reported, deals opened from them.
- SME2GO's brokerage day at Tehnopol, Tallinn, May 2017 (on-site, 15 tables).
- A 4SmartGrowth follow-up with Chilean buyers three weeks from the day the demo is loaded
  (self-booking, preliminary agenda), so that pending requests exist.
The buyers are invented (their names say so); the `sme` demo user's company takes part in
every event its company's programmes hold.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from metacluster.accounts.models import User
from metacluster.companies.models import Company
from metacluster.matchmaking.models import Capability

from . import adapters, workflows
from .choices import AgendaStatus, EventFormat, Outcome, ParticipantKind, RequestStatus
from .models import Break, Event, Meeting, MeetingRequest, Participant, Session

# (organisation, country, time zone): invented buyers in the 4SmartGrowth markets.
BUYERS_4SG = [
    ("Shenzhen Lumen City Services (fictional)", "CN", "Asia/Shanghai"),
    ("Chengdu Smart Transit Group (fictional)", "CN", "Asia/Shanghai"),
    ("Suzhou Industrial Park Utilities (fictional)", "CN", "Asia/Shanghai"),
    ("Hangzhou Urban Data Bureau (fictional)", "CN", "Asia/Shanghai"),
    ("Da Nang Smart City Centre (fictional)", "VN", "Asia/Ho_Chi_Minh"),
    ("Hanoi Water Works JSC (fictional)", "VN", "Asia/Ho_Chi_Minh"),
    ("Binh Duong Digital Services (fictional)", "VN", "Asia/Ho_Chi_Minh"),
    ("Saigon Green Buildings Co. (fictional)", "VN", "Asia/Ho_Chi_Minh"),
    ("Santiago Movilidad Inteligente SpA (fictional)", "CL", "America/Santiago"),
    ("Valparaíso Puerto Digital (fictional)", "CL", "America/Santiago"),
    ("Antofagasta Energía Urbana (fictional)", "CL", "America/Santiago"),
    ("Concepción Ciudad Sostenible (fictional)", "CL", "America/Santiago"),
]
BUYERS_SME2GO = [
    ("Oslo Facility Partners AS (fictional)", "NO", "Europe/Oslo"),
    ("Hamburg Hafen Technik GmbH (fictional)", "DE", "Europe/Berlin"),
    ("Kraków Industrial Supply (fictional)", "PL", "Europe/Warsaw"),
    ("Lyon Bâtiment Connecté (fictional)", "FR", "Europe/Paris"),
    ("Osaka Trading House (fictional)", "JP", "Asia/Tokyo"),
    ("Minneapolis Med Distribution (fictional)", "US", "America/Chicago"),
    ("Copenhagen Cleantech Buyers (fictional)", "DK", "Europe/Copenhagen"),
    ("Vilnius Retail Systems (fictional)", "LT", "Europe/Vilnius"),
]
CAPABILITIES = [
    ("smart-lighting", "Smart lighting"),
    ("mobility", "Smart mobility"),
    ("water", "Water management"),
    ("energy", "Energy efficiency"),
    ("iot-platforms", "IoT platforms"),
    ("urban-data", "Urban data and analytics"),
]
MESSAGES = [
    "We would like to present our solution and hear about your plans.",
    "Your city's programme matches what we deliver; could we meet?",
    "We are looking for a local partner for a pilot.",
    "Interested in your tender pipeline for next year.",
    "",
]
TIME_ZONES = {"SE": "Europe/Stockholm", "EE": "Europe/Tallinn", "FI": "Europe/Helsinki"}


def _capabilities(programme, rng) -> list:
    found = list(Capability.objects.filter(programme=programme))
    if found:
        return found
    return [
        Capability.objects.get_or_create(programme=programme, code=code, defaults={"name": name})[0]
        for code, name in CAPABILITIES
    ]


def _smes(programme, count: int, rng) -> list[Company]:
    companies = list(
        Company.objects.filter(engagements__programme=programme).order_by("name").distinct()
    )
    chosen = rng.sample(companies, min(count, len(companies)))
    sme = User.objects.filter(username="sme").select_related("company").first()
    if sme and sme.company in companies and sme.company not in chosen:
        chosen[0] = sme.company
    return chosen


def _participants(event, companies, buyers, capabilities, rng):
    people = []
    for company in companies:
        people.append(
            Participant(
                event=event,
                kind=ParticipantKind.SME,
                company=company,
                organisation=company.name,
                country=company.country,
                time_zone=TIME_ZONES.get(company.country, "Europe/Stockholm"),
                profile=f"{company.name} looks for buyers and pilot partners abroad.",
            )
        )
    for n, (name, country, zone) in enumerate(buyers):
        people.append(
            Participant(
                event=event,
                kind=ParticipantKind.BUYER,
                organisation=name,
                contact_name="",
                email=f"buyer{event.pk}-{n}@example.org",
                country=country,
                time_zone=zone,
                profile=f"{name.split(' (')[0]} buys solutions for its projects.",
            )
        )
    people = Participant.objects.bulk_create(people)
    for person in people:
        person.capabilities.set(rng.sample(capabilities, 2))
    return people


def _sessions(event, days, blocks):
    for day in days:
        for name, start, end in blocks:
            Session.objects.create(event=event, name=name, date=day, start_time=start, end_time=end)


def _requests(event, smes, buyers, per_sme, statuses, sent_before, rng) -> list[MeetingRequest]:
    """Each SME asks `per_sme` buyers; statuses drawn with the given weights."""
    rows = []
    names, weights = zip(*statuses, strict=True)
    for sme in smes:
        for buyer in rng.sample(buyers, min(per_sme, len(buyers))):
            status = rng.choices(names, weights)[0]
            created = sent_before - timedelta(hours=rng.randint(2, 24 * 10))
            expires = created + timedelta(hours=event.request_expiry_hours)
            if status == RequestStatus.EXPIRED:
                created = min(created, timezone.now() - timedelta(hours=200))
                expires = created + timedelta(hours=event.request_expiry_hours)
            answered = None
            if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
                answered = created + timedelta(hours=rng.randint(1, event.request_expiry_hours - 1))
            elif status == RequestStatus.EXPIRED:
                answered = expires
            sender, recipient = (sme, buyer) if rng.random() < 0.8 else (buyer, sme)
            rows.append(
                MeetingRequest(
                    event=event,
                    sender=sender,
                    recipient=recipient,
                    message=rng.choice(MESSAGES),
                    status=status,
                    created_at=created,
                    expires_at=expires,
                    answered_at=answered,
                )
            )
    return MeetingRequest.objects.bulk_create(rows)


def _outcomes(event, rng) -> int:
    reported = 0
    for meeting in event.meetings.scheduled().select_related(
        "request__sender__company", "request__recipient__company", "slot", "event__programme"
    ):
        if rng.random() < 0.55:
            side = rng.choice(meeting.participants)
            # Leads only: a pilot or agreement would change the programmes' reported results
            # (pilots, sales agreements), which the base demo reproduces exactly.
            outcome = rng.choice([Outcome.NONE, Outcome.LEAD])
            workflows.report_outcome(meeting, side, outcome)
            reported += 1
    return reported


def _digital_4sg(programme, rng) -> Event:
    event = Event.objects.create(
        programme=programme,
        title="4SmartGrowth digital matchmaking: smart cities in China, Vietnam and Chile",
        description="Export missions stopped in 2020, so the buyers came online: Central "
        "Baltic SMEs with smart-city solutions met city companies and utilities in China, "
        "Vietnam and Chile. Morning sessions suit Asia, afternoon sessions suit Chile.",
        format=EventFormat.ONLINE,
        time_zone="Europe/Stockholm",
        slot_minutes=25,
        pause_minutes=5,
        max_meetings=8,
        agenda_status=AgendaStatus.FINAL,
        created_at=datetime(2020, 10, 1, 9, tzinfo=UTC),
    )
    # 08:00–11:00 in Stockholm is afternoon in Shanghai and Hanoi; 14:00–17:00 is morning in
    # Santiago (Chile is on summer time in November).
    _sessions(
        event,
        [date(2020, 11, 17), date(2020, 11, 18)],
        [("Asia", time(8), time(11)), ("Chile", time(14), time(17))],
    )
    event.regenerate_slots()
    capabilities = _capabilities(programme, rng)
    people = _participants(event, _smes(programme, 35, rng), BUYERS_4SG, capabilities, rng)
    smes = [p for p in people if p.kind == ParticipantKind.SME]
    buyers = [p for p in people if p.kind == ParticipantKind.BUYER]
    asia = event.sessions.filter(name="Asia")
    chile = event.sessions.filter(name="Chile")
    for buyer in buyers:
        buyer.unavailable_sessions.set(chile if buyer.country != "CL" else asia)
    statuses = [
        (RequestStatus.ACCEPTED, 70),
        (RequestStatus.DECLINED, 12),
        (RequestStatus.EXPIRED, 12),
        (RequestStatus.WITHDRAWN, 6),
    ]
    _requests(event, smes, buyers, 3, statuses, datetime(2020, 11, 13, tzinfo=UTC), rng)
    adapters.schedule_all(event, time_limit=2)
    return event


def _brokerage_sme2go(programme, rng) -> Event:
    event = Event.objects.create(
        programme=programme,
        title="SME2GO brokerage day at Tehnopol",
        description="Pre-arranged one-to-one meetings between SME2GO companies and visiting "
        "buyers, at numbered tables in the Tehnopol conference hall.",
        format=EventFormat.ONSITE,
        venue="Tallinn Science Park Tehnopol, Mäealuse 2/1, Tallinn",
        time_zone="Europe/Tallinn",
        slot_minutes=20,
        pause_minutes=5,
        tables=15,
        agenda_status=AgendaStatus.FINAL,
        created_at=datetime(2017, 3, 20, 9, tzinfo=UTC),
    )
    _sessions(
        event,
        [date(2017, 5, 16)],
        [("Morning", time(9, 30), time(12, 30)), ("Afternoon", time(13, 30), time(16, 30))],
    )
    afternoon = event.sessions.get(name="Afternoon")
    Break.objects.create(
        session=afternoon, name="Coffee", start_time=time(15), end_time=time(15, 15)
    )
    event.regenerate_slots()
    capabilities = _capabilities(programme, rng)
    people = _participants(event, _smes(programme, 30, rng), BUYERS_SME2GO, capabilities, rng)
    smes = [p for p in people if p.kind == ParticipantKind.SME]
    buyers = [p for p in people if p.kind == ParticipantKind.BUYER]
    statuses = [
        (RequestStatus.ACCEPTED, 75),
        (RequestStatus.DECLINED, 15),
        (RequestStatus.EXPIRED, 10),
    ]
    _requests(event, smes, buyers, 2, statuses, datetime(2017, 5, 9, tzinfo=UTC), rng)
    adapters.schedule_all(event, time_limit=2)
    # The organiser fixed the keynote speaker's first meeting before scheduling the rest.
    first = event.meetings.scheduled().order_by("slot__start", "table").first()
    if first:
        workflows.set_locked(first, True)
    return event


def _follow_up_4sg(programme, rng) -> Event:
    today = timezone.localdate()
    day = today + timedelta(days=21)
    event = Event.objects.create(
        programme=programme,
        title="4SmartGrowth follow-up: Chilean buyers",
        description="A second online round with the Chilean buyers of the 2020 matchmaking. "
        "Book your meetings yourselves once a request is accepted.",
        format=EventFormat.ONLINE,
        time_zone="Europe/Stockholm",
        slot_minutes=30,
        pause_minutes=0,
        scheduling_mode="self",
        request_expiry_hours=96,
        agenda_status=AgendaStatus.PRELIMINARY,
    )
    _sessions(event, [day], [("Chile morning", time(14), time(17))])
    event.regenerate_slots()
    capabilities = _capabilities(programme, rng)
    chile = [b for b in BUYERS_4SG if b[1] == "CL"]
    people = _participants(event, _smes(programme, 10, rng), chile, capabilities, rng)
    smes = [p for p in people if p.kind == ParticipantKind.SME]
    buyers = [p for p in people if p.kind == ParticipantKind.BUYER]
    statuses = [
        (RequestStatus.PENDING, 40),
        (RequestStatus.ACCEPTED, 40),
        (RequestStatus.DECLINED, 20),
    ]
    now = timezone.now()
    requests = _requests(event, smes, buyers, 2, statuses, now, rng)
    for request in requests:
        if request.status == RequestStatus.PENDING:
            request.created_at = now - timedelta(hours=rng.randint(1, 48))
            request.expires_at = request.created_at + timedelta(hours=event.request_expiry_hours)
            request.save(update_fields=["created_at", "expires_at"])
    # Half of the accepted pairs have booked a slot already.
    for request in requests:
        if request.status == RequestStatus.ACCEPTED and rng.random() < 0.5:
            for slot in event.slots.all():
                if not workflows.conflicts(request, slot, None):
                    workflows.place(request, slot, None)
                    break
    return event


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    events = []
    if "4smartgrowth" in programmes:
        events.append(_digital_4sg(programmes["4smartgrowth"], rng))
    if "sme2go" in programmes:
        events.append(_brokerage_sme2go(programmes["sme2go"], rng))
    if "4smartgrowth" in programmes:
        events.append(_follow_up_4sg(programmes["4smartgrowth"], rng))
    outcomes = sum(_outcomes(event, rng) for event in events[:2])
    return {
        "events": len(events),
        "event participants": Participant.objects.filter(event__in=events).count(),
        "meeting requests": MeetingRequest.objects.filter(event__in=events).count(),
        "meetings": Meeting.objects.filter(event__in=events).count(),
        "meeting outcomes": outcomes,
    }


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    Event.objects.filter(programme__in=programmes).delete()
    Participant.objects.filter(company__in=companies).delete()
