from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from metacluster.companies.models import Company
from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from . import adapters
from .choices import Verdict
from .forms import ImportForm, InterestForm, OfferForm, OpportunityFilterForm, OpportunityForm
from .importing import import_opportunities
from .models import Capability, Interest, Offer, Opportunity
from .workflows import express_interest, give_feedback, notify

MODE_LABELS = {
    "hybrid": gettext_lazy("hybrid: words, meaning, capabilities and sectors"),
    "lexical": gettext_lazy(
        "words, capabilities and sectors (the semantic model is not installed)"
    ),
}


def _mode_label(mode: str) -> str:
    return str(MODE_LABELS.get(mode, mode))


def _capability_names(programmes) -> dict[str, str]:
    """Taxonomy codes → names, for showing the capabilities a match shares."""
    return {
        capability.code: capability.translated("name")
        for capability in Capability.objects.filter(programme__in=programmes).only(
            "code", "name", "translations"
        )
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_sme:
        return _sme_index(request)
    opportunities = Opportunity.objects.visible_to(user).select_related("programme", "partner")
    filters = OpportunityFilterForm(request.GET or None)
    show_all = False
    if filters.is_valid():
        data = filters.cleaned_data
        if data["programme"]:
            opportunities = opportunities.filter(programme__acronym=data["programme"])
        if data["q"]:
            opportunities = opportunities.filter(
                Q(title__icontains=data["q"]) | Q(buyer__icontains=data["q"])
            )
        show_all = data["show"] == "all"
    if not show_all:
        opportunities = opportunities.filter(
            pk__in=Opportunity.objects.open().values("pk")
        ) | opportunities.filter(partner_id=user.organisation_id, status="draft")
    context = {
        "page": Paginator(opportunities.order_by("deadline", "-pk"), 50).get_page(
            request.GET.get("page")
        ),
        "filters": filters,
        "programmes": Programme.objects.visible_to(user),
        "can_create": Programme.objects.recordable_by(user).exists(),
    }
    return render(request, "matchmaking/index.html", context)


def _sme_index(request):
    company = request.user.company
    mode, ranked = adapters.opportunities_for(
        company, Opportunity.objects.visible_to(request.user), viewer=request.user
    )
    context = {
        "company": company,
        "ranked": ranked,
        "mode": _mode_label(mode),
        "capability_names": _capability_names(Programme.objects.visible_to(request.user)),
        "offers": Offer.objects.visible_to(request.user).prefetch_related("capabilities"),
        "interests": Interest.objects.visible_to(request.user).select_related(
            "opportunity", "deal"
        ),
    }
    return render(request, "matchmaking/sme_index.html", context)


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(user).select_related("programme", "partner"), pk=pk
    )
    context = {
        "opportunity": opportunity,
        "capabilities": opportunity.capabilities.all(),
        "can_edit": Opportunity.objects.editable_by(user).filter(pk=pk).exists(),
        "capability_names": _capability_names([opportunity.programme_id]),
    }
    if user.is_sme:
        company = user.company
        _mode, ranked = adapters.opportunities_for(
            company, Opportunity.objects.visible_to(user).filter(pk=pk), top=1, viewer=user
        )
        context.update(
            company=company,
            match=ranked[0].match if ranked else None,
            interest=opportunity.interests.filter(company=company).first(),
            interest_form=InterestForm(),
        )
    else:
        mode, ranked = adapters.companies_for(opportunity, viewer=user)
        context.update(
            ranked=ranked,
            consortia=adapters.consortia_for(opportunity, viewer=user),
            mode=_mode_label(mode),
            can_act=opportunity.programme.is_recordable_by(user),
            interests=opportunity.interests.select_related("company", "deal").filter(
                company__in=Company.objects.visible_to(user)
            ),
        )
    return render(request, "matchmaking/opportunity.html", context)


@login_required
def opportunity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    opportunity = None
    if pk:
        opportunity = get_object_or_404(Opportunity.objects.visible_to(user), pk=pk)
        if not Opportunity.objects.editable_by(user).filter(pk=pk).exists():
            raise PermissionDenied(_("Only its partner or a programme manager edits this."))
    elif not Programme.objects.recordable_by(user).exists():
        raise PermissionDenied(_("You cannot publish opportunities."))
    form = OpportunityForm(request.POST or None, instance=opportunity, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            if opportunity is None:
                form.instance.created_by = user
            opportunity = form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The opportunity is saved."))
            return redirect(opportunity)
    title = _("Edit opportunity") if opportunity else _("New opportunity")
    return render(
        request,
        "matchmaking/form.html",
        {"form": form, "title": title, "cancel_url": "/matchmaking/"},
    )


@login_required
def opportunity_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not Programme.objects.recordable_by(user).exists():
        raise PermissionDenied(_("You cannot publish opportunities."))
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_opportunities(
            upload.read(), upload.name, programme=form.cleaned_data["programme"], user=user
        )
        if not result.errors:
            messages.success(
                request,
                ngettext(
                    "%(n)s opportunity imported.",
                    "%(n)s opportunities imported.",
                    len(result.created),
                )
                % {"n": len(result.created)},
            )
            return redirect("matchmaking:index")
    return render(request, "matchmaking/import.html", {"form": form, "result": result})


def _company_for_action(request, opportunity):
    """The company a match action is about: an SME user's own, or (for staff who may record in
    the programme) the one named in the form, among those they see."""
    if request.user.is_sme:
        return request.user.company
    if not opportunity.programme.is_recordable_by(request.user):
        raise PermissionDenied(_("Only advisors and programme managers act on matches."))
    return get_object_or_404(
        adapters.candidates(opportunity).filter(
            pk__in=Company.objects.visible_to(request.user).values("pk")
        ),
        pk=request.POST.get("company") or 0,
    )


@login_required
@require_POST
def interest(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    company = _company_for_action(request, opportunity)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            express_interest(
                opportunity, company, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your interest is recorded; the partner will be in touch."))
    return redirect(opportunity)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    company = _company_for_action(request, opportunity)
    verdict = request.POST.get("verdict")
    if verdict not in Verdict.values:
        messages.error(request, _("Say whether the match is relevant."))
        return redirect(opportunity)
    give_feedback(
        opportunity, company, verdict, by=request.user, note=request.POST.get("note", "")[:300]
    )
    messages.success(request, _("Thank you: the feedback is stored."))
    if request.user.is_sme and verdict == Verdict.NOT_RELEVANT:
        return redirect("matchmaking:index")
    return redirect(opportunity)


@login_required
@require_POST
def notify_company(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    if request.user.is_sme:
        raise PermissionDenied(_("Only advisors and programme managers notify companies."))
    company = _company_for_action(request, opportunity)
    if not opportunity.is_open:
        messages.error(request, _("This opportunity is closed or past its deadline."))
    elif notify(opportunity, company, by=request.user) is None:
        messages.info(request, _("%(company)s was told already.") % {"company": company})
    else:
        messages.success(request, _("%(company)s is notified.") % {"company": company})
    return redirect(opportunity)


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = Offer.objects.visible_to(user).select_related("company", "programme")
    company = None
    if user.is_sme:
        company = user.company
    elif request.GET.get("company", "").isdigit():
        company = get_object_or_404(Company.objects.visible_to(user), pk=request.GET["company"])
        items = items.filter(company=company)
    can_add = (
        company is not None and Company.objects.editable_by(user).filter(pk=company.pk).exists()
    )
    page = Paginator(items.prefetch_related("capabilities"), 50).get_page(request.GET.get("page"))
    editable = set(
        Company.objects.editable_by(user)
        .filter(pk__in=[offer.company_id for offer in page])
        .values_list("pk", flat=True)
    )
    context = {
        "page": page,
        "editable": editable,
        "company": company,
        "can_add": can_add,
    }
    return render(request, "matchmaking/offers.html", context)


@login_required
def offer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    if pk:
        offer = get_object_or_404(Offer.objects.visible_to(user), pk=pk)
        company = offer.company
    else:
        offer = None
        company_id = (
            user.company_id
            if user.is_sme
            else request.GET.get("company") or request.POST.get("for_company")
        )
        if not str(company_id or "").isdigit():
            raise PermissionDenied(_("Say which company the offer is for."))
        company = get_object_or_404(Company.objects.visible_to(user), pk=company_id)
    if not Company.objects.editable_by(user).filter(pk=company.pk).exists():
        raise PermissionDenied(_("You cannot edit this company's offers."))
    form = OfferForm(request.POST or None, instance=offer, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The offer is saved."))
            return redirect(
                f"/matchmaking/offers/?company={company.pk}"
                if not user.is_sme
                else "/matchmaking/offers/"
            )
    title = _("Edit offer") if offer else _("New offer for %(company)s") % {"company": company}
    return render(
        request,
        "matchmaking/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": "/matchmaking/offers/",
            "for_company": company.pk,
        },
    )


@login_required
def company_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Opportunities for one company, as its advisor (or the SME itself) sees them."""
    user = request.user
    company = get_object_or_404(Company.objects.visible_to(user), pk=pk)
    mode, ranked = adapters.opportunities_for(
        company, Opportunity.objects.visible_to(user), viewer=user
    )
    return render(
        request,
        "matchmaking/company.html",
        {
            "company": company,
            "ranked": ranked,
            "mode": _mode_label(mode),
            "capability_names": _capability_names(Programme.objects.visible_to(user)),
        },
    )
