from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.accounts.models import Organisation
from metacluster.deals.models import Deal
from metacluster.exports import csv_writer
from metacluster.versioning import StaleEdit

from .dashboard import indicator_rows
from .forms import (
    CloneForm,
    IndicatorForm,
    PartnershipFormSet,
    ProgrammeForm,
    TargetMarketFormSet,
)
from .kpis import DefinitionError, parse_definition, records_behind
from .models import Indicator, Partnership, Programme
from .windows import parse_window


def visible_programme(request: HttpRequest, acronym: str) -> Programme:
    """The programme if the user may see it; a 404 otherwise, so outsiders learn nothing."""
    return get_object_or_404(Programme.objects.visible_to(request.user), acronym=acronym)


def managed_programme(request: HttpRequest, acronym: str) -> Programme:
    programme = visible_programme(request, acronym)
    if not programme.is_managed_by(request.user):
        raise PermissionDenied(_("Only the programme's managers can change its set-up."))
    return programme


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user).prefetch_related(
        "partnerships__organisation"
    )
    can_create = request.user.is_superuser or (
        request.user.role == "manager" and request.user.organisation_id
    )
    return render(
        request, "programmes/list.html", {"programmes": programmes, "can_create": can_create}
    )


@login_required
def dashboard(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    if request.user.is_sme:
        # SME users see the programme they take part in, not other companies' figures.
        return render(request, "programmes/overview_sme.html", {"programme": programme})
    context = {
        "programme": programme,
        "rows": indicator_rows(programme),
        "partnerships": programme.partnerships.select_related("organisation"),
        "markets": programme.target_markets.all(),
        "pilots": Deal.objects.filter(programme=programme, stage="pilot").count(),
        "can_manage": programme.is_managed_by(request.user),
        "can_record": programme.is_recordable_by(request.user),
    }
    return render(request, "programmes/dashboard.html", context)


@login_required
def indicator_records(request: HttpRequest, acronym: str, code: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    if request.user.is_sme:
        raise Http404
    indicator = get_object_or_404(Indicator, programme=programme, code=code)
    partner = None
    if request.GET.get("partner"):
        partner = get_object_or_404(
            Organisation,
            pk=request.GET["partner"] if request.GET["partner"].isdigit() else 0,
            partnerships__programme=programme,
        )
    try:
        description = parse_definition(indicator.definition).describe()
        description += " · " + parse_window(indicator.definition).describe()
        records = records_behind(indicator, partner_id=partner.pk if partner else None)
    except DefinitionError as error:
        messages.error(request, str(error))
        return redirect("programmes:dashboard", acronym=acronym)
    if request.GET.get("format") == "csv":
        return records_csv(indicator, records, partner)
    return render(
        request,
        "programmes/indicator_records.html",
        {
            "programme": programme,
            "indicator": indicator,
            "records": records,
            "partner": partner,
            "description": description,
        },
    )


@login_required
def programme_edit(request: HttpRequest, acronym: str) -> HttpResponse:
    """The programme's facts, its partners (role, budget, co-financing) and target markets,
    saved together or not at all."""
    programme = managed_programme(request, acronym)
    data = request.POST or None
    form = ProgrammeForm(data, instance=programme)
    partners = PartnershipFormSet(data, instance=programme, prefix="partners")
    markets = TargetMarketFormSet(data, instance=programme, prefix="markets")
    if request.method == "POST" and form.is_valid() and partners.is_valid() and markets.is_valid():
        try:
            with transaction.atomic():
                form.save()
                partners.save()
                markets.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        except IntegrityError:
            form.add_error(
                None, _("A programme has one lead partner, and each organisation takes part once.")
            )
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("programmes:dashboard", acronym=programme.acronym)
    return render(
        request,
        "programmes/edit.html",
        {"form": form, "partners": partners, "markets": markets, "programme": programme},
    )


@login_required
def indicator_edit(request: HttpRequest, acronym: str, code: str | None = None) -> HttpResponse:
    programme = managed_programme(request, acronym)
    indicator = get_object_or_404(Indicator, programme=programme, code=code) if code else None
    form = IndicatorForm(request.POST or None, instance=indicator, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("programmes:dashboard", acronym=programme.acronym)
    title = _("Edit indicator %(code)s") % {"code": code} if code else _("New indicator")
    context = {"form": form, "title": title, "programme": programme, "indicator": indicator}
    return render(request, "programmes/indicator_form.html", context)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, acronym: str, code: str) -> HttpResponse:
    programme = managed_programme(request, acronym)
    get_object_or_404(Indicator, programme=programme, code=code).delete()
    messages.success(request, _("The indicator %(code)s is deleted.") % {"code": code})
    return redirect("programmes:dashboard", acronym=programme.acronym)


def records_csv(indicator: Indicator, records, partner) -> HttpResponse:
    """The evidence behind a figure, for the funder's report or a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{partner.pk}" if partner else ""
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}{suffix}.csv"'
    writer = csv_writer(response)
    writer.writerow(["indicator", "record_type", "record_id", "record", "country", "counted_from"])
    for record, counted_from in records:
        country = getattr(record, "country", "") or getattr(record, "market", "")
        writer.writerow(
            [
                indicator.code,
                record._meta.model_name,
                record.pk,
                str(record),
                country,
                counted_from.isoformat(),
            ]
        )
    return response


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    """A programme manager starts a programme; their organisation becomes its lead partner."""
    user = request.user
    if not (user.is_superuser or (user.role == "manager" and user.organisation_id)):
        raise PermissionDenied(_("Only programme managers start programmes."))
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            programme = form.save()
            if user.organisation_id:
                Partnership.objects.create(
                    programme=programme, organisation=user.organisation, role="lead"
                )
        messages.success(
            request, _("The programme is created. Add its partners, markets and indicators.")
        )
        return redirect("programmes:edit", acronym=programme.acronym)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("New programme"), "cancel_url": "/programmes/"},
    )


def may_start_programmes(user) -> bool:
    return user.is_superuser or (user.role == "manager" and bool(user.organisation_id))


@login_required
def programme_clone(request: HttpRequest) -> HttpResponse:
    """A manager starts a programme from the set-up of one of their programmes, a shipped
    template or an uploaded set-up file; their organisation leads it."""
    from decimal import Decimal

    from . import setup_file

    user = request.user
    if not may_start_programmes(user):
        raise PermissionDenied(_("Only programme managers start programmes."))
    programmes = Programme.objects.visible_to(user).order_by("name")
    sources = [(f"programme:{p.pk}", p.name) for p in programmes]
    sources += [
        (f"template:{slug}", _("Template: %(title)s") % {"title": title})
        for slug, title, _path in setup_file.templates()
    ]
    initial = {"source": request.GET.get("source", "")}
    form = CloneForm(request.POST or None, request.FILES or None, sources=sources, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["setup_file"]:
                setup = setup_file.load_setup(data["setup_file"].read())
            else:
                kind, _sep, key = data["source"].partition(":")
                if kind == "programme":
                    setup = setup_file.export_setup(programmes.get(pk=key))
                else:
                    path = next(p for slug, _t, p in setup_file.templates() if slug == key)
                    setup = path.read_text(encoding="utf-8")
            scale = data["scale_percent"] / Decimal(100) if data["targets"] == "scale" else None
            programme = setup_file.create_from_setup(
                setup,
                name=data["name"],
                acronym=data["acronym"],
                start=data["start_date"],
                end=data["end_date"],
                lead=user.organisation,
                targets="clear" if data["targets"] == "clear" else "keep",
                scale=scale,
                services=data["services"],
                by=user,
            )
        except setup_file.SetupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The programme is created from the set-up. Add its budget and partners' shares."),
            )
            return redirect("programmes:edit", acronym=programme.acronym)
    return render(request, "programmes/clone.html", {"form": form})


@login_required
def setup_download(request: HttpRequest, acronym: str) -> HttpResponse:
    """The programme's set-up file, for another cluster to start from."""
    from . import setup_file

    programme = managed_programme(request, acronym)
    response = HttpResponse(
        setup_file.dumps(setup_file.export_setup(programme)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.acronym}-setup.json"'
    return response


def programme_url(programme: Programme) -> str:
    from django.urls import reverse

    return reverse("programmes:dashboard", args=[programme.acronym])
