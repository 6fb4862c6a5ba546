"""Testbeds: the JSON API. Facilities and their free slots; bookings made, cancelled and
recorded as used (which records the testbed delivery, once)."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from metacluster.apiutils import (
    Id,
    Input,
    IsoDate,
    ListQuery,
    Moment,
    Page,
    QueryId,
    Text,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    responses,
)
from metacluster.companies.models import Company

from .choices import BookingStatus, TestbedKind
from .models import Booking, Testbed
from .workflows import book, cancel, mark_used

router = Router(tags=["testbeds"])

MAX_SLOT_DAYS = 31
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 1)


class TestbedOut(Schema):
    id: int
    programme_id: int
    service_id: int
    provider_id: int
    name: str
    kind: TestbedKind
    description: str
    town: str
    country: str
    time_zone: str
    capacity: int
    weekdays: str = Field(..., description="ISO weekdays it opens, 1 = Monday.")
    opens_at: time = Field(..., description="Local time in `time_zone`.")
    closes_at: time
    slot_minutes: int
    active: bool

    @staticmethod
    def resolve_programme_id(testbed: Testbed) -> int:
        return testbed.service.programme_id

    @staticmethod
    def resolve_provider_id(testbed: Testbed) -> int:
        return testbed.service.provider_id


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    free: int = Field(
        ..., description="Seats that can be booked (0 when the slot is full or not bookable)."
    )
    bookable: bool = Field(..., description="Whether booking this slot now can succeed.")
    reason: str = Field(..., description="Why the slot cannot be booked; empty when it can.")


class BookingOut(Schema):
    id: int
    testbed_id: int
    company_id: int
    starts_at: datetime
    ends_at: datetime
    seat: int
    status: BookingStatus
    purpose: str
    delivery_id: int | None
    created_at: datetime


class SlotQuery(Schema):
    date_from: IsoDate = Field(..., description="First local day.")
    date_to: IsoDate = Field(..., description=f"Last local day; at most {MAX_SLOT_DAYS} days on.")


class BookingQuery(ListQuery):
    testbed: QueryId | None = None
    company: QueryId | None = None
    status: BookingStatus | None = None


class BookingIn(Input):
    company: Id
    starts_at: Moment = Field(..., description="The start of one of the testbed's slots.")
    purpose: Text = Field("", max_length=2000)


class UseIn(Input):
    aid_override_reason: Text = Field("", max_length=2000)


def testbeds_for(user):
    return Testbed.objects.visible_to(user).select_related("service")


def bookings_for(user):
    return Booking.objects.visible_to(user)


@router.get("/testbeds", response=responses(Page[TestbedOut]))
def list_testbeds(request, query: Query[ListQuery]):
    """Testbeds in your programmes."""
    return paginate(testbeds_for(request.user), query)


@router.get("/testbeds/{int:testbed_id}", response=responses(TestbedOut))
def get_testbed(request, testbed_id: Id):
    return get_visible(testbeds_for(request.user), testbed_id, _("testbed"))


@router.get(
    "/testbeds/{int:testbed_id}/slots",
    response=responses(list[SlotOut]),
    openapi_extra=refused_when(
        "`date_from`: from 2000 to 2999.",
        f"`date_to`: on or after date_from, less than {MAX_SLOT_DAYS} days after it.",
    ),
)
def list_slots(request, testbed_id: Id, query: Query[SlotQuery]):
    """The testbed's slots on these local days, with their free seats and whether each can be
    booked now (a slot that has begun or lies outside the programme period cannot)."""
    testbed = get_visible(testbeds_for(request.user), testbed_id, _("testbed"))
    if not EARLIEST <= query.date_from <= LATEST:
        raise ValidationError({"date_from": _("Ask for days from 2000 to 2999.")})
    if query.date_to < query.date_from or (query.date_to - query.date_from).days >= MAX_SLOT_DAYS:
        raise ValidationError(
            {"date_to": _("Ask for 1 to %(n)s days from date_from.") % {"n": MAX_SLOT_DAYS}}
        )
    return [
        {
            "starts_at": offer.slot.starts_at,
            "ends_at": offer.slot.ends_at,
            "free": offer.free,
            "bookable": offer.bookable,
            "reason": offer.refusal,
        }
        for offer in testbed.offers(query.date_from, query.date_to)
    ]


@router.get("/testbeds/bookings", response=responses(Page[BookingOut]))
def list_bookings(request, query: Query[BookingQuery]):
    """Bookings at testbeds of your programmes (SME users: their own company's)."""
    filters = {"testbed_id": query.testbed, "company_id": query.company, "status": query.status}
    bookings = bookings_for(request.user).filter(
        **{k: v for k, v in filters.items() if v is not None}
    )
    return paginate(bookings, query)


@router.post(
    "/testbeds/{int:testbed_id}/bookings",
    response=responses(BookingOut, 201),
    openapi_extra=refused_when(
        "`testbed`: bookable now.",
        "`company`: a company you see (SME users: their own).",
        "`starts_at`: the start of one of the testbed's future slots within the programme "
        "period, with a seat free.",
    ),
)
def create_booking(request, testbed_id: Id, payload: BookingIn):
    """Book one slot for a company. When two people take the last seat at once, one gets
    it and the other a 400 saying the slot is fully booked."""
    testbed = get_visible(testbeds_for(request.user), testbed_id, _("testbed"))
    company = get_referenced(
        Company.objects.visible_to(request.user), payload.company, "company", _("company")
    )
    booking = book(testbed, company, payload.starts_at, by=request.user, purpose=payload.purpose)
    return Status(201, booking)


@router.post("/testbeds/bookings/{int:booking_id}/cancel", response=responses(BookingOut))
def cancel_booking(request, booking_id: Id):
    """Cancel a booking that has not begun; its seat is free again."""
    booking = get_visible(bookings_for(request.user), booking_id, _("booking"))
    return cancel(booking, by=request.user)


@router.post(
    "/testbeds/bookings/{int:booking_id}/use",
    response=responses(BookingOut),
    openapi_extra=refused_when(
        "The slot has begun, and the booking is neither cancelled nor already used.",
        "`aid_override_reason`: needed past the company's state-aid ceiling.",
        "`date`: the delivery's rules (within the programme period).",
    ),
)
def use_booking(request, booking_id: Id, payload: UseIn):
    """Record that the company used the slot: one delivery of the testbed's service, whose
    quantity is the slot's length in the service's unit. Only the facility's partner (or a
    programme manager) records it; a second call is refused."""
    booking = get_visible(bookings_for(request.user), booking_id, _("booking"))
    mark_used(booking, by=request.user, aid_override=payload.aid_override_reason)
    booking.refresh_from_db()
    return booking
