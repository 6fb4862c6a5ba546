from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metacluster.accounts.access import may_act_for, partners_acted_for
from metacluster.formutils import add_errors
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.programmes.views import visible_programme
from metacluster.stateaid.ledger import check_deliveries

from .forms import AttendanceForm, DeliveryForm, ServiceForm
from .models import Delivery, Service
from .workflows import record_attendance, record_delivery


def recordable_programme(request: HttpRequest, acronym: str) -> Programme:
    programme = visible_programme(request, acronym)
    if not programme.is_recordable_by(request.user):
        raise PermissionDenied(_("You cannot record deliveries in this programme."))
    return programme


@login_required
def catalogue(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    services = programme.services.select_related("provider").order_by("kind", "provider__name")
    can_edit = programme.is_recordable_by(request.user)
    if not can_edit:
        services = services.active()
    # Partners keep their own part of the catalogue; managers keep all of it.
    acted_for = set(partners_acted_for(request.user, programme).values_list("pk", flat=True))
    editable = {service.pk for service in services if service.provider_id in acted_for}
    context = {
        "programme": programme,
        "services": services,
        "can_edit": can_edit,
        "editable": editable,
        "can_request": can_edit or request.user.is_sme,
    }
    return render(request, "services/catalogue.html", context)


@login_required
def service_edit(request: HttpRequest, acronym: str, pk: int | None = None) -> HttpResponse:
    """Partners keep their own part of the catalogue; managers may edit any partner's."""
    programme = recordable_programme(request, acronym)
    service = get_object_or_404(Service, programme=programme, pk=pk) if pk else None
    if service and not may_act_for(request.user, programme, service.provider):
        raise PermissionDenied(
            _("Only the partner offering a service, or a programme manager, can change it.")
        )
    form = ServiceForm(
        request.POST or None, instance=service, programme=programme, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The service is saved."))
        return redirect("services:catalogue", acronym=acronym)
    title = _("Edit service") if service else _("New service")
    context = {"form": form, "title": title, "cancel_url": f"/programmes/{acronym}/services/"}
    return render(request, "services/service_form.html", context)


@login_required
def delivery_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    deliveries = (
        Delivery.objects.visible_to(request.user)
        .in_programme(programme)
        .select_related("company", "service", "provider")
    )
    page = Paginator(deliveries, 100).get_page(request.GET.get("page"))
    can_record = programme.is_recordable_by(request.user)
    return render(
        request,
        "services/deliveries.html",
        {"programme": programme, "page": page, "can_record": can_record},
    )


@login_required
def delivery_new(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = recordable_programme(request, acronym)
    form = DeliveryForm(
        request.POST or None,
        programme=programme,
        user=request.user,
        initial={"company": request.GET.get("company")},
    )
    if request.method == "POST" and form.is_valid():
        delivery = form.save(commit=False)
        delivery.advisor = request.user
        try:
            delivery.full_clean()  # the record's own rules first, then its state aid
            cleared = form.aid_cleared(check_deliveries([delivery]), request.user, programme)
            if cleared:
                record_delivery(delivery, by=request.user, aid_override=form.aid_override)
        except ValidationError as error:
            add_errors(form, error)
        else:
            # Not cleared: the state-aid warning is on the form, shown before recording.
            if cleared:
                messages.success(
                    request,
                    _("%(service)s for %(company)s is recorded.")
                    % {"service": delivery.service.translated("name"), "company": delivery.company},
                )
                return redirect(next_url(request, reverse("programmes:dashboard", args=[acronym])))
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Record a delivery in %(programme)s") % {"programme": programme.name},
            "cancel_url": f"/programmes/{acronym}/",
        },
    )


@login_required
def attendance(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = recordable_programme(request, acronym)
    form = AttendanceForm(request.POST or None, programme=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attending = [
                Delivery(
                    service=data["service"],
                    company=company,
                    provider=data["provider"],
                    date=data["date"],
                    quantity=data["quantity"],
                )
                for company in data["companies"]
            ]
            for delivery in attending:
                delivery.full_clean()
            cleared = form.aid_cleared(check_deliveries(attending), request.user, programme)
            deliveries = cleared and record_attendance(
                service=data["service"],
                companies=list(data["companies"]),
                date=data["date"],
                quantity=data["quantity"],
                provider=data["provider"],
                advisor=request.user,
                notes=data["notes"],
                by=request.user,
                aid_override=form.aid_override,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            # Not cleared: the state-aid warnings are on the form, shown before recording.
            if cleared:
                messages.success(
                    request,
                    ngettext(
                        "Attendance recorded: %(n)s delivery.",
                        "Attendance recorded: %(n)s deliveries.",
                        len(deliveries),
                    )
                    % {"n": len(deliveries)},
                )
                return redirect("services:deliveries", acronym=acronym)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Record attendance in %(programme)s") % {"programme": programme.name},
            "intro": _(
                "One delivery is recorded for each attending company; if any cannot be recorded, none is."
            ),
            "cancel_url": f"/programmes/{acronym}/",
        },
    )
