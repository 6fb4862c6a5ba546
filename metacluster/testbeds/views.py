"""Testbed pages: the list, a facility's week of slots with booking, and the facility form."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme

from .forms import BookingForm, TestbedForm
from .models import Booking, Testbed
from .workflows import book, cancel, mark_used, may_cancel


def visible_testbed(request: HttpRequest, pk: int) -> Testbed:
    return get_object_or_404(
        Testbed.objects.visible_to(request.user).select_related(
            "service__programme", "service__provider"
        ),
        pk=pk,
    )


def visible_booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "testbed__service__programme", "company"
        ),
        pk=pk,
    )


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    testbeds = (
        Testbed.objects.visible_to(user)
        .select_related("service__programme", "service__provider")
        .order_by("service__programme__name", "name")
    )
    now = timezone.now()
    bookings = Booking.objects.visible_to(user).select_related("testbed", "company")
    if not user.is_sme and not user.is_superuser:
        # Staff see the bookings they made and those at their organisation's facilities.
        bookings = bookings.filter(
            Q(booked_by__organisation_id=user.organisation_id)
            | Q(testbed__service__provider_id=user.organisation_id)
        )
    context = {
        "testbeds": testbeds,
        "upcoming": bookings.filter(starts_at__gte=now).order_by("starts_at")[:50],
        "recent": bookings.filter(starts_at__lt=now).order_by("-starts_at")[:50],
        "can_add": not user.is_sme
        and Programme.objects.recordable_by(user).filter(services__kind="testbed").exists(),
    }
    return render(request, "testbeds/index.html", context)


def _week_start(testbed: Testbed, requested: date | None, user) -> date:
    """Monday of the requested week; by default this week or, when today lies outside the
    programme's period (bookings are made within it), the week of the latest booking the
    user can see, else the programme's nearest week."""
    programme = testbed.programme
    zone = ZoneInfo(testbed.time_zone)
    today = timezone.now().astimezone(zone).date()
    day = requested
    if day is None and not programme.start_date <= today <= programme.end_date:
        latest = (
            Booking.objects.visible_to(user)
            .filter(testbed=testbed)
            .order_by("-starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        if latest:
            day = latest.astimezone(zone).date()
    day = day or min(max(today, programme.start_date), programme.end_date)
    return day - timedelta(days=day.weekday())


def _back(request: HttpRequest, booking: Booking) -> HttpResponse:
    """To the page the button was on (the list or the calendar), never to another site."""
    return redirect(next_url(request, reverse("testbeds:detail", args=[booking.testbed_id])))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    testbed = visible_testbed(request, pk)
    user = request.user
    requested = parse_date(request.GET.get("week") or "") if request.GET.get("week") else None
    monday = _week_start(testbed, requested, user)
    now = timezone.now()
    programme = testbed.programme
    days: dict[date, list] = {}
    for offer in testbed.offers(monday, monday + timedelta(days=6), now=now):
        days.setdefault(offer.slot.local_start(testbed.time_zone).date(), []).append(offer)
    zone = ZoneInfo(testbed.time_zone)
    week_start = datetime.combine(monday, time.min, tzinfo=zone)
    bookings = (
        Booking.objects.visible_to(user)
        .filter(testbed=testbed, starts_at__gte=week_start)
        .filter(starts_at__lt=week_start + timedelta(days=7))
        .select_related("company")
    )
    manages = testbed.is_managed_by(user)
    can_book = testbed.active and (user.is_sme or programme.is_recordable_by(user))
    context = {
        "testbed": testbed,
        "days": sorted(days.items()),
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "following": monday + timedelta(days=7),
        "bookings": bookings,
        "manages": manages,
        "can_book": can_book,
        "form": BookingForm(user=user, testbed=testbed) if can_book else None,
        "any_bookable": any(offer.bookable for offers in days.values() for offer in offers),
        "now": now,
        "cancellable": {b.pk for b in bookings if b.status == "booked" and may_cancel(user, b)},
    }
    return render(request, "testbeds/detail.html", context)


@login_required
@require_POST
def book_slot(request: HttpRequest, pk: int) -> HttpResponse:
    testbed = visible_testbed(request, pk)
    form = BookingForm(request.POST, user=request.user, testbed=testbed)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label if field in form.fields else ''} {error}".strip(),
                )
        return redirect("testbeds:detail", pk=pk)
    data = form.cleaned_data
    try:
        booking = book(
            testbed, data["company"], data["starts_at"], by=request.user, purpose=data["purpose"]
        )
    except ValidationError as error:
        _errors(request, error)
        week = data["starts_at"].date().isoformat()
        return redirect(f"{reverse('testbeds:detail', args=[pk])}?week={week}")
    messages.success(
        request,
        _("Booked: %(testbed)s on %(when)s for %(company)s.")
        % {
            "testbed": testbed,
            "when": booking.local_start.strftime("%Y-%m-%d %H:%M"),
            "company": booking.company,
        },
    )
    week = booking.local_start.date().isoformat()
    return redirect(f"{reverse('testbeds:detail', args=[pk])}?week={week}")


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = visible_booking(request, pk)
    try:
        cancel(booking, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The booking is cancelled."))
    return _back(request, booking)


@login_required
@require_POST
def booking_use(request: HttpRequest, pk: int) -> HttpResponse:
    booking = visible_booking(request, pk)
    try:
        delivery = mark_used(
            booking, by=request.user, aid_override=request.POST.get("aid_override_reason", "")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Recorded as a delivery of %(service)s to %(company)s.")
            % {"service": delivery.service.translated("name"), "company": delivery.company},
        )
    return _back(request, booking)


@login_required
def testbed_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    testbed = None
    if pk:
        testbed = visible_testbed(request, pk)
        if not testbed.is_managed_by(user):
            raise PermissionDenied(
                _("Only the facility's partner or a programme manager can change it.")
            )
    elif user.is_sme or not user.can_edit_records:
        raise PermissionDenied(_("Only partners list testbeds."))
    form = TestbedForm(request.POST or None, instance=testbed, user=user)
    if request.method == "POST" and form.is_valid():
        testbed = form.save()
        messages.success(request, _("The testbed is saved."))
        return redirect("testbeds:detail", pk=testbed.pk)
    context = {
        "form": form,
        "title": _("Edit testbed") if testbed else _("New testbed"),
        "intro": _(
            "Opening hours are in the facility's time zone; they are cut into slots of equal length."
        ),
        "cancel_url": reverse("testbeds:detail", args=[pk]) if pk else reverse("testbeds:index"),
    }
    return render(request, "form.html", context)
