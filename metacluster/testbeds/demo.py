"""Demo records of testbeds, added to the demo programmes by `metacluster load-demo`.

Two facilities modelled on real ones, with fictional bookings: the fibre-optics lab Acreo ran
in Hudiksvall (ICT Meta Cluster's testbed service) and a smart-city pilot area at Tehnopol in
Tallinn (a testbed service added to 4SmartGrowth for the demo). The programmes have ended, so
the bookings lie in their periods: most were used (and are deliveries), some were cancelled,
and a few at the end are still waiting for the facility to confirm the use."""

from datetime import time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from metacluster.accounts.models import Organisation
from metacluster.companies.models import Company
from metacluster.services.choices import ServiceKind, Unit
from metacluster.services.models import Delivery, Service
from metacluster.services.workflows import record_delivery

from .choices import BookingStatus, TestbedKind
from .models import Booking, Testbed
from .slots import slots_between
from .workflows import units_used

BOOKINGS_PER_TESTBED = 24


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    ict, foursg = programmes["ict-meta-cluster"], programmes["4smartgrowth"]
    fibre_service = Service.objects.filter(programme=ict, kind=ServiceKind.TESTBED).first()
    tehnopol = Organisation.objects.get(name="Tallinn Science Park Tehnopol")
    pilot_service, _ = Service.objects.get_or_create(
        programme=foursg,
        provider=tehnopol,
        name="Smart-city pilot area access",
        defaults={
            "kind": ServiceKind.TESTBED,
            "unit": Unit.DAYS,
            "value_per_unit": Decimal(800),
            "description": "Pilot smart-city solutions in a living city district.",
        },
    )
    testbeds = []
    if fibre_service:
        testbeds.append(
            Testbed.objects.create(
                service=fibre_service,
                name="Fibre-optics lab Hudiksvall",
                kind=TestbedKind.LABORATORY,
                description="Splicing, OTDR and link-budget measurement benches for FTTH "
                "equipment; staff engineers assist.",
                town="Hudiksvall",
                country="SE",
                time_zone="Europe/Stockholm",
                capacity=2,
                weekdays="12345",
                opens_at=time(8),
                closes_at=time(16),
                slot_minutes=240,
            )
        )
    testbeds.append(
        Testbed.objects.create(
            service=pilot_service,
            name="Ülemiste smart-city pilot area",
            kind=TestbedKind.PILOT_AREA,
            description="Street lighting, mobility sensors and a 5G test network in a city "
            "district open for pilots with the city.",
            town="Tallinn",
            country="EE",
            time_zone="Europe/Tallinn",
            capacity=1,
            weekdays="1234",
            opens_at=time(9),
            closes_at=time(17),
            slot_minutes=480,
        )
    )
    bookings = used = 0
    for testbed in testbeds:
        made, recorded = _bookings(testbed, rng)
        bookings += made
        used += recorded
    return {"testbeds": len(testbeds), "testbed bookings": bookings, "testbed uses": used}


def _bookings(testbed: Testbed, rng) -> tuple[int, int]:
    programme = testbed.programme
    last = programme.end_date
    first = max(programme.start_date, last - timedelta(days=300))
    # Companies the programme had already supported before the bookings: a testbed use adds a
    # delivery but no newly supported company, so the programme's reported figures still hold.
    companies = list(
        Company.objects.filter(deliveries__service__programme=programme, deliveries__date__lt=first)
        .order_by("pk")
        .distinct()[:60]
    )
    staff = testbed.owner.users.filter(role__in=["advisor", "manager"]).first()
    slots = slots_between(testbed.hours, first, last)
    chosen = sorted(
        rng.sample(slots, min(BOOKINGS_PER_TESTBED, len(slots))), key=lambda s: s.starts_at
    )
    made = recorded = 0
    for index, slot in enumerate(chosen):
        company = rng.choice(companies)
        booking = Booking.objects.create(
            testbed=testbed,
            company=company,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            seat=1,
            purpose=rng.choice(
                (
                    "Interoperability test before a tender abroad",
                    "Measure the product against the buyer's specification",
                    "Pilot for a city customer",
                    "Certification pre-test",
                )
            ),
            booked_by=staff,
            created_at=slot.starts_at - timedelta(days=rng.randint(3, 30)),
        )
        made += 1
        if index % 6 == 5:
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = booking.created_at + timedelta(days=1)
            booking.save(update_fields=["status", "cancelled_at"])
        elif index < len(chosen) - 2:  # the last two still wait for the facility to confirm
            recorded += _use(booking, staff)
    return made, recorded


def _use(booking: Booking, staff) -> int:
    local = booking.local_start
    delivery = Delivery(
        service=booking.testbed.service,
        company=booking.company,
        provider=booking.testbed.owner,
        advisor=staff,
        date=local.date(),
        quantity=units_used(booking),
        notes=f"{booking.testbed.name}, {local:%Y-%m-%d %H:%M}",
    )
    try:
        record_delivery(delivery, by=staff)
    except ValidationError:
        return 0  # past the company's aid ceiling: the booking stays unconfirmed
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.USED, delivery=delivery)
    return 1


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    Booking.objects.filter(
        Q(testbed__service__programme__in=programmes) | Q(company__in=companies)
    ).delete()
    Testbed.objects.filter(service__programme__in=programmes).delete()
