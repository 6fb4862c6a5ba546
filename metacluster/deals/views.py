from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from .choices import DealStage
from .forms import DealFilterForm, DealForm
from .models import Deal


@login_required
def deal_list(request: HttpRequest) -> HttpResponse:
    deals = Deal.objects.visible_to(request.user).select_related("company", "programme", "partner")
    filters = DealFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["programme"]:
            deals = deals.filter(programme__acronym=data["programme"])
        if data["market"]:
            deals = deals.filter(market=data["market"].upper())
    by_stage = dict(deals.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    if filters.is_valid() and filters.cleaned_data["stage"]:
        deals = deals.filter(stage=filters.cleaned_data["stage"])
    context = {
        "page": Paginator(deals, 100).get_page(request.GET.get("page")),
        "filters": filters,
        "stages": [(value, label, by_stage.get(value, 0)) for value, label in DealStage.choices],
        "programmes": Programme.objects.visible_to(request.user),
        "can_create": Programme.objects.recordable_by(request.user).exists(),
    }
    return render(request, "deals/list.html", context)


@login_required
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_object_or_404(
        Deal.objects.visible_to(request.user).select_related("company", "programme", "partner"),
        pk=pk,
    )
    can_edit = deal.programme.is_recordable_by(request.user)
    return render(request, "deals/detail.html", {"deal": deal, "can_edit": can_edit})


@login_required
def deal_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    deal = get_object_or_404(Deal.objects.visible_to(request.user), pk=pk) if pk else None
    recordable = Programme.objects.recordable_by(request.user)
    if not recordable.exists() or (deal and not recordable.filter(pk=deal.programme_id).exists()):
        raise PermissionDenied(_("You cannot record deals in this programme."))
    initial = None
    if not deal:
        initial = {k: request.GET.get(k) for k in ("company", "programme", "market")}
        company = request.GET.get("company", "")
        if not initial["programme"] and company.isdigit():
            # The programme preselected when the company takes part in only one the user
            # records in.
            engaged = list(recordable.filter(engagements__company_id=company).distinct()[:2])
            if len(engaged) == 1:
                initial["programme"] = engaged[0].pk
    form = DealForm(request.POST or None, instance=deal, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deal = form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deal is saved."))
            return redirect(next_url(request, deal.company.get_absolute_url()))
    title = _("Edit deal") if deal else _("New deal")
    return render(request, "form.html", {"form": form, "title": title, "cancel_url": "/deals/"})
