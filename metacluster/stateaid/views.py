"""The ledger pages: per programme, per company (with its aid letter), undertakings,
declared aid and the programme's aid settings."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from metacluster.companies.models import Company
from metacluster.core.aid import retention_until
from metacluster.programmes.models import Programme
from metacluster.programmes.views import managed_programme, visible_programme

from .forms import AidSettingsForm, DeclarationForm, UndertakingForm
from .ledger import standings
from .letter import render_letter
from .models import (
    AidDeclaration,
    AidRecord,
    ProgrammeAidSettings,
    Undertaking,
    UndertakingMember,
    undertaking_companies,
)


def visible_company(request: HttpRequest, pk: int) -> Company:
    return get_object_or_404(Company.objects.visible_to(request.user), pk=pk)


def editable_company(request: HttpRequest, pk: int) -> Company:
    company = visible_company(request, pk)
    if not Company.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot change this company's aid records."))
    return company


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """SME users go to their own company's ledger; staff choose a programme."""
    if request.user.is_sme:
        return redirect("stateaid:company", pk=request.user.company_id)
    programmes = Programme.objects.visible_to(request.user).annotate(
        aid_total=Sum("aid_records__value"), last_aid=Max("aid_records__granted_on")
    )
    settings = {
        s.programme_id: s for s in ProgrammeAidSettings.objects.filter(programme__in=programmes)
    }
    rows = [
        (programme, settings.get(programme.pk) or ProgrammeAidSettings(programme=programme))
        for programme in programmes
    ]
    undertakings = Undertaking.objects.visible_to(request.user).count()
    return render(request, "stateaid/index.html", {"rows": rows, "undertakings": undertakings})


@login_required
def programme_ledger(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    settings = ProgrammeAidSettings.for_programme(programme)
    per_company = (
        AidRecord.objects.visible_to(request.user)
        .filter(programme=programme)
        .values("company_id", "company__name")
        .annotate(total=Sum("value"), last=Max("granted_on"))
        .order_by("company__name")
    )
    standing = standings([row["company_id"] for row in per_company], programme)
    rows = []
    for row in per_company:
        rows.append({**row, "standing": standing[row["company_id"]]})
    status = request.GET.get("status")
    if status in ("near", "over"):
        rows = [row for row in rows if row["standing"].assessment.status == status]
    last = max((row["last"] for row in per_company), default=None)
    context = {
        "programme": programme,
        "settings": settings,
        "rows": rows,
        "status": status,
        "total": sum((row["total"] for row in per_company), Decimal(0)),
        "keep_until": retention_until(last) if last else None,
        "can_manage": programme.is_managed_by(request.user),
    }
    return render(request, "stateaid/programme.html", context)


@login_required
def settings_edit(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = managed_programme(request, acronym)
    settings = ProgrammeAidSettings.for_programme(programme)
    form = AidSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The aid settings are saved."))
        return redirect("stateaid:programme", acronym=acronym)
    context = {
        "form": form,
        "title": _("State-aid settings of %(programme)s") % {"programme": programme.name},
        "intro": _(
            "The scheme applies to deliveries recorded from now on; aid already recorded "
            "keeps the scheme it was granted under."
        ),
        "cancel_url": reverse("stateaid:programme", args=[acronym]),
    }
    return render(request, "form.html", context)


@login_required
def company_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    company = visible_company(request, pk)
    user = request.user
    group_ids = undertaking_companies(company)
    records = AidRecord.objects.filter(company_id__in=group_ids).select_related(
        "company", "programme", "delivery__service"
    )
    visible_records = records.filter(pk__in=AidRecord.objects.visible_to(user).values("pk"))
    visible_companies = set(
        Company.objects.visible_to(user).filter(pk__in=group_ids).values_list("pk", flat=True)
    )
    hidden_total = records.exclude(pk__in=visible_records.values("pk")).aggregate(
        total=Sum("value")
    )["total"]
    declarations = AidDeclaration.objects.filter(company_id__in=group_ids).select_related("company")
    on = parse_date(request.GET.get("on") or "") if request.GET.get("on") else None
    standing = standings([company.pk], on=on)[company.pk]
    programmes = Programme.objects.visible_to(user).filter(aid_records__company=company).distinct()
    membership = (
        UndertakingMember.objects.filter(company=company).select_related("undertaking").first()
    )
    last = records.aggregate(last=Max("granted_on"))["last"]
    context = {
        "company": company,
        "records": visible_records,
        "hidden_total": hidden_total,
        "declarations": [d for d in declarations if d.company_id in visible_companies],
        "standing": standing,
        "programmes": programmes,
        "undertaking": membership.undertaking if membership else None,
        "members": Company.objects.filter(pk__in=group_ids).exclude(pk=company.pk),
        "visible_companies": visible_companies,
        "can_edit": Company.objects.editable_by(user).filter(pk=pk).exists(),
        "keep_until": retention_until(last) if last else None,
        "today": timezone.localdate(),
    }
    return render(request, "stateaid/company.html", context)


@login_required
def aid_letter(request: HttpRequest, pk: int, acronym: str) -> HttpResponse:
    company = visible_company(request, pk)
    programme = visible_programme(request, acronym)
    records = list(
        AidRecord.objects.visible_to(request.user)
        .filter(company=company, programme=programme)
        .select_related("delivery__service", "delivery__provider")
        .order_by("granted_on", "pk")
    )
    if not records:
        raise PermissionDenied(
            _("%(company)s received no aid in %(programme)s.")
            % {"company": company, "programme": programme}
        )
    pdf = render_letter(request, company, programme, records)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"aid-letter-{programme.acronym}-{company.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def declaration_edit(request: HttpRequest, pk: int, declaration_pk: int | None = None):
    company = editable_company(request, pk)
    declaration = (
        get_object_or_404(AidDeclaration, company=company, pk=declaration_pk)
        if declaration_pk
        else AidDeclaration(company=company, declared_by=request.user)
    )
    form = DeclarationForm(request.POST or None, instance=declaration)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The declared aid is saved."))
        return redirect("stateaid:company", pk=company.pk)
    context = {
        "form": form,
        "title": _("Aid %(company)s received from another grantor") % {"company": company},
        "intro": _(
            "De minimis aid from any grantor in the last three years counts against the same "
            "ceiling; other aid is kept for the record."
        ),
        "cancel_url": reverse("stateaid:company", args=[company.pk]),
    }
    return render(request, "form.html", context)


@login_required
def undertaking_list(request: HttpRequest) -> HttpResponse:
    undertakings = Undertaking.objects.visible_to(request.user).prefetch_related("members__company")
    visible = set(Company.objects.visible_to(request.user).values_list("pk", flat=True))
    rows = [(u, [m for m in u.members.all() if m.company_id in visible]) for u in undertakings]
    can_edit = request.user.can_edit_records and not request.user.is_sme
    return render(request, "stateaid/undertakings.html", {"rows": rows, "can_edit": can_edit})


@login_required
def undertaking_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk:
        undertaking = get_object_or_404(Undertaking.objects.visible_to(request.user), pk=pk)
    else:
        undertaking = Undertaking(created_by=request.user)
    if not request.user.can_edit_records or request.user.is_sme:
        raise PermissionDenied(_("Only advisors and programme managers link companies."))
    form = UndertakingForm(request.POST or None, instance=undertaking, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            undertaking = form.save()
            chosen = {company.pk for company in form.cleaned_data["companies"]}
            editable = Company.objects.editable_by(request.user).values("pk")
            # Members this user cannot see stay as they are.
            undertaking.members.filter(company__in=editable).exclude(company_id__in=chosen).delete()
            for company_id in chosen:
                UndertakingMember.objects.update_or_create(
                    company_id=company_id,
                    defaults={"undertaking": undertaking, "link": form.cleaned_data["link"]},
                )
        messages.success(request, _("The single undertaking is saved."))
        return redirect("stateaid:undertakings")
    context = {
        "form": form,
        "title": _("Single undertaking"),
        "intro": _(
            "Companies linked by a majority of voting rights, the right to appoint the board, "
            "a dominant influence by contract, or control by agreement (Art. 2(2) of "
            "Regulation (EU) 2023/2831) share one de minimis ceiling."
        ),
        "cancel_url": reverse("stateaid:undertakings"),
    }
    return render(request, "form.html", context)
