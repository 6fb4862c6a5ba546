"""Specification of recording support: one delivery, or attendance at a training session."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from metacluster.companies.choices import Stage
from metacluster.companies.models import Company, Contact, Engagement, StageChange
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_attendance, record_delivery


@pytest.fixture
def newcomer(db):
    """A company that has never taken part in the programme."""
    return Company.objects.create(name="Delta Fictional Oy", country="FI")


def coaching_for(company, service, **fields) -> Delivery:
    fields = {
        "date": date(2021, 3, 1),
        "quantity": Decimal(2),
        "provider": service.provider,
        **fields,
    }
    return Delivery(service=service, company=company, **fields)


# --- record_delivery --------------------------------------------------------------------------


def test_record_delivery_saves_the_delivery_and_who_recorded_it(newcomer, coaching, manager):
    delivery = record_delivery(coaching_for(newcomer, coaching), by=manager)

    delivery.refresh_from_db()
    assert (delivery.company, delivery.service, delivery.created_by) == (
        newcomer,
        coaching,
        manager,
    )


def test_record_delivery_engages_an_unengaged_company_at_identified(
    newcomer, coaching, programme, lead_org, manager
):
    record_delivery(coaching_for(newcomer, coaching), by=manager)

    engagement = Engagement.objects.get(company=newcomer, programme=programme)
    assert (engagement.stage, engagement.partner) == (Stage.IDENTIFIED, lead_org)
    change = engagement.history.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", "identified", manager)


def test_record_delivery_engages_from_the_delivery_date(newcomer, coaching):
    with time_machine.travel(datetime(2022, 11, 1, 9, 0, tzinfo=UTC), tick=False):
        record_delivery(coaching_for(newcomer, coaching, date=date(2021, 3, 1)))

    change = Engagement.objects.get(company=newcomer).history.get()
    assert change.changed_at.date() == date(2021, 3, 1)


def test_record_delivery_engages_with_the_delivering_partner(
    newcomer, coaching, programme, partner_org
):
    record_delivery(coaching_for(newcomer, coaching, provider=partner_org))

    assert Engagement.objects.get(company=newcomer).partner == partner_org


def test_record_delivery_leaves_an_existing_engagement_alone(company, coaching, training):
    engagement = company.engagements.get()
    engagement.move_to(Stage.SUPPORTED)

    record_delivery(coaching_for(company, training))

    engagement.refresh_from_db()
    assert engagement.stage == Stage.SUPPORTED
    assert engagement.history.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date": date(2019, 12, 31)}, "date"),  # the day before the programme starts
        ({"date": date(2023, 1, 1)}, "date"),  # the day after the programme ends
        ({"provider": "outsider_org"}, "provider"),  # not a partner of the programme
        ({"contact": "outsider_contact"}, "contact"),  # works at another company
        ({"quantity": Decimal(0)}, "quantity"),  # nothing delivered
        ({"quantity": Decimal(-1)}, "quantity"),  # negative
    ],
)
def test_record_delivery_rejects_an_invalid_delivery_and_changes_nothing(
    newcomer, coaching, outsider_company, request, fields, field
):
    if fields.get("provider") == "outsider_org":
        fields["provider"] = request.getfixturevalue("outsider_org")
    if fields.get("contact") == "outsider_contact":
        fields["contact"] = Contact.objects.create(
            company=outsider_company, name="Not at Delta", lawful_basis="contract"
        )

    with pytest.raises(ValidationError) as error:
        record_delivery(coaching_for(newcomer, coaching, **fields))

    assert field in error.value.error_dict
    assert not Delivery.objects.exists()
    assert not Engagement.objects.filter(company=newcomer).exists()


@time_machine.travel(datetime(2021, 6, 15, 10, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("on", "valid"),
    [
        (date(2021, 6, 15), True),  # today is fine
        (date(2021, 6, 16), False),  # tomorrow, though inside the programme period
    ],
)
def test_record_delivery_rejects_a_future_date(newcomer, coaching, on, valid):
    delivery = coaching_for(newcomer, coaching, date=on)

    if valid:
        record_delivery(delivery)
        assert Delivery.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as error:
            record_delivery(delivery)
        assert list(error.value.error_dict) == ["date"]
        assert not Delivery.objects.exists()
        assert not Engagement.objects.filter(company=newcomer).exists()


def test_record_delivery_accepts_a_contact_at_the_company(company, coaching):
    contact = Contact.objects.create(company=company, name="Anna", lawful_basis="contract")

    delivery = record_delivery(coaching_for(company, coaching, contact=contact))

    assert delivery.contact == contact


# --- record_attendance ------------------------------------------------------------------------


@pytest.fixture
def attendees(newcomer, company, other_company):
    return [newcomer, company, other_company]


def attend(training, companies, **fields):
    fields = {"date": date(2021, 3, 1), "quantity": Decimal(3), **fields}
    return record_attendance(
        service=training, companies=companies, provider=training.provider, **fields
    )


def test_record_attendance_creates_one_delivery_per_company(training, attendees):
    attend(training, attendees)

    deliveries = Delivery.objects.filter(service=training)
    assert sorted(d.company.name for d in deliveries) == sorted(c.name for c in attendees)
    assert {(d.date, d.quantity) for d in deliveries} == {(date(2021, 3, 1), Decimal(3))}


def test_record_attendance_gives_the_deliveries_one_batch_of_their_own(training, attendees):
    attend(training, attendees[:2])
    attend(training, attendees[2:], date=date(2021, 4, 1))

    first, second = (
        set(Delivery.objects.filter(date=on).values_list("batch", flat=True))
        for on in (date(2021, 3, 1), date(2021, 4, 1))
    )
    assert len(first) == 1 and None not in first
    assert len(second) == 1
    assert first != second


def test_record_attendance_engages_the_newcomers(training, attendees, newcomer, partner_org):
    attend(training, attendees)

    assert Engagement.objects.get(company=newcomer).partner == partner_org


def test_record_attendance_with_one_invalid_row_creates_nothing(training, newcomer, company):
    # A company removed by someone else while the attendance list was being filled in.
    removed = Company.objects.create(name="Removed Fictional AB", country="SE")
    Company.objects.filter(pk=removed.pk).delete()
    history_before = StageChange.objects.count()

    with pytest.raises(ValidationError):
        attend(training, [newcomer, removed, company])

    assert not Delivery.objects.exists()
    assert not Engagement.objects.filter(company=newcomer).exists()
    assert StageChange.objects.count() == history_before


def test_record_attendance_with_an_invalid_session_creates_nothing(training, attendees):
    with pytest.raises(ValidationError):
        attend(training, attendees, quantity=Decimal(0))

    assert not Delivery.objects.exists()


def test_a_service_no_longer_offered_cannot_be_delivered(company, coaching):
    from datetime import date

    from django.core.exceptions import ValidationError

    from metacluster.services.models import Delivery
    from metacluster.services.workflows import record_delivery

    coaching.active = False
    coaching.save()
    delivery = Delivery(
        service=coaching,
        company=company,
        provider=coaching.provider,
        date=date(2021, 1, 5),
        quantity=1,
    )
    with pytest.raises(ValidationError) as error:
        record_delivery(delivery)
    assert "service" in error.value.message_dict
    assert not Delivery.objects.exists()
