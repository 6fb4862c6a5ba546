"""Demo activities (`metacluster load-demo`): SME2GO's sales and marketing trainings and an
export mission, and 4SmartGrowth's export missions to China and Chile.

SME2GO trained its companies "in sales and marketing" and made export missions; the sessions,
dates, places and participants here are fictional. 4SmartGrowth's missions are built from the
export-mission deliveries the base demo already recorded (one activity per mission date), so its
EXPORT-MISSION-SMES figure does not change; SME2GO's new deliveries count in none of its
indicators. Runs before the state-aid extension, which gives every delivery its aid record."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from metacluster.companies.choices import Stage
from metacluster.companies.models import Engagement
from metacluster.services.choices import ServiceKind, Unit
from metacluster.services.models import Delivery, Service, new_batch

from .choices import ActivityKind, RegistrationMode, RegistrationStatus
from .models import Activity, ActivityTemplate, Registration

FICTIONAL = "(fictional)"
DESTINATIONS = {"China": "CN", "Chile": "CL"}

SME2GO_TRAININGS = [
    # (service name, kind, title, day, place, participants, units)
    (
        "Export training",
        ActivityKind.TRAINING,
        "Selling smart-city solutions to cities abroad",
        date(2016, 3, 15),
        "Turku",
        14,
        1,
    ),
    (
        "Export training",
        ActivityKind.WEBINAR,
        "Marketing to public buyers: tenders and pilots",
        date(2016, 11, 9),
        "",
        18,
        1,
    ),
    (
        "Consortium-building workshop",
        ActivityKind.WORKSHOP,
        "Building a joint offer with partners from another country",
        date(2017, 2, 8),
        "Stockholm",
        16,
        1,
    ),
]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC)


def _supported_before(programme, day: date, rng, count: int):
    engagements = Engagement.objects.filter(
        programme=programme, created_at__date__lte=day
    ).select_related("company")
    eligible = sorted(
        (e for e in engagements if Stage.rank(e.stage) >= Stage.rank(Stage.SUPPORTED)),
        key=lambda e: e.company.name,
    )
    return rng.sample(eligible, min(count, len(eligible)))


def _session(programme, service, kind, title, day, place, engagements, units, **extra):
    activity = Activity.objects.create(
        programme=programme,
        kind=kind,
        title=f"{title} {FICTIONAL}",
        service=service,
        units_per_participant=Decimal(units),
        starts_at=_at(day),
        ends_at=_at(day) + timedelta(hours=4 if kind != ActivityKind.EXPORT_MISSION else 96),
        place=place,
        video_link="https://video.example/session" if kind == ActivityKind.WEBINAR else "",
        capacity=len(engagements),
        registration=RegistrationMode.INVITED,
        **extra,
    )
    batch = new_batch()
    for engagement in engagements:
        delivery = Delivery.objects.create(
            service=service,
            company=engagement.company,
            provider=service.provider,
            date=day,
            quantity=Decimal(units),
            notes=activity.title,
            batch=batch,
        )
        Registration.objects.create(
            activity=activity,
            company=engagement.company,
            status=RegistrationStatus.REGISTERED,
            attended=True,
            delivery=delivery,
        )
    return activity


def extend(programmes: dict, rng) -> dict[str, int]:
    sme2go, foursg = programmes["sme2go"], programmes["4smartgrowth"]
    made = 0
    for name, kind, title, day, place, count, units in SME2GO_TRAININGS:
        service = Service.objects.get(programme=sme2go, name=name)
        _session(
            sme2go,
            service,
            kind,
            title,
            day,
            place,
            _supported_before(sme2go, day, rng, count),
            units,
        )
        # The session is run again and again: a template, which a set-up file carries on.
        ActivityTemplate.objects.get_or_create(
            programme=sme2go,
            title=title,
            defaults={"kind": kind, "service": service, "capacity": count},
        )
        made += 1
    sisp = Service.objects.get(programme=sme2go, name="Consortium-building workshop").provider
    mission_service, _ = Service.objects.get_or_create(
        programme=sme2go,
        provider=sisp,
        name="Smart-city export mission",
        defaults={
            "kind": ServiceKind.EXPORT_MISSION,
            "unit": Unit.DAYS,
            "value_per_unit": Decimal(900),
            "description": "Delegation visits to cities abroad (fictional catalogue entry).",
        },
    )
    day = date(2017, 9, 18)
    _session(
        sme2go,
        mission_service,
        ActivityKind.EXPORT_MISSION,
        "Export mission to Singapore's smart-city week",
        day,
        "Singapore",
        _supported_before(sme2go, day, rng, 9),
        3,
        destination="SG",
        visits="Urban Redevelopment Authority briefing\nMatchmaking with system integrators\n"
        "Site visit: district cooling plant",
    )
    made += 1

    # 4SmartGrowth: one mission per (service, date) of the deliveries already recorded.
    missions = defaultdict(list)
    deliveries = Delivery.objects.filter(
        service__programme=foursg, service__kind=ServiceKind.EXPORT_MISSION
    ).select_related("service", "company")
    for delivery in deliveries.order_by("date", "pk"):
        missions[(delivery.service, delivery.date)].append(delivery)
    for (service, day), group in sorted(
        missions.items(), key=lambda item: (item[0][1], item[0][0].name)
    ):
        country = next((code for word, code in DESTINATIONS.items() if word in service.name), None)
        if country is None:
            continue  # Vietnam: not among the missions the brief names
        activity = Activity.objects.create(
            programme=foursg,
            kind=ActivityKind.EXPORT_MISSION,
            title=f"{service.name}, {day:%B %Y} {FICTIONAL}",
            service=service,
            units_per_participant=max(d.quantity for d in group),
            starts_at=_at(day),
            ends_at=_at(day) + timedelta(days=3),
            capacity=len(group),
            destination=country,
            visits="Meetings with the partners' contacts in the target cities",
        )
        Registration.objects.bulk_create(
            Registration(
                activity=activity,
                company=d.company,
                status=RegistrationStatus.REGISTERED,
                attended=True,
                delivery=d,
            )
            for d in group
        )
        made += 1
    return {"activities": made}


def remove(programmes, companies) -> None:
    # An activity protects its service; delete activities before the programmes' catalogues.
    Activity.objects.filter(programme__in=programmes).delete()
