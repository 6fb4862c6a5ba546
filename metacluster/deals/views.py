from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.nexturl import next_url, with_next
from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from .choices import DealStage
from .filters import DealFilterSet
from .forms import DealForm
from .models import Deal


@login_required
def deal_list(request: HttpRequest) -> HttpResponse:
    filters = DealFilterSet(request.GET, user=request.user)
    deals = filters.filter(
        Deal.objects.visible_to(request.user).select_related("company", "programme", "partner"),
        stage=False,
    )
    by_stage = dict(deals.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    deals = filters.filter(deals)
    context = {
        "page": Paginator(deals, 100).get_page(request.GET.get("page")),
        "filters": filters.form,
        "unapplied": filters.errors,
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


BOARD_CARDS = 25  # cards shown per column; the column's count and value cover all its deals


@login_required
def deal_board(request: HttpRequest) -> HttpResponse:
    """The pipeline as a board: a column per stage with its count and value, each deal one
    click from the next stage. Filters: programme (preselected when the user sees only one),
    market (name or code) and responsible partner; one it cannot apply is named."""
    from metacluster.accounts.models import Organisation

    user = request.user
    programmes = list(Programme.objects.visible_to(user))
    data = request.GET.copy()
    if "programme" not in data and len(programmes) == 1:
        data["programme"] = programmes[0].acronym
    filters = DealFilterSet(data, user=user)
    # The columns are the stages: a stage parameter does not narrow the board.
    deals = filters.filter(Deal.objects.visible_to(user), stage=False)
    unapplied = [message for messages_ in filters.errors.values() for message in messages_]
    chosen = data.get("programme", "")
    # The filter set's own market box: the same picker (names in the user's language) as the list.
    market_box = filters.form["market"].as_widget(
        attrs={"id": "board-market", "placeholder": _("name or code")}
    )
    partners = Organisation.objects.filter(
        partnerships__programme__in=[p.pk for p in programmes]
    ).distinct()
    partner = data.get("partner", "")
    totals = {
        row["stage"]: row
        for row in deals.values("stage").annotate(n=Count("pk"), value=Sum("value"))
    }
    recordable = set(Programme.objects.recordable_by(user).values_list("pk", flat=True))
    order = [value for value, _label in DealStage.choices]
    columns = []
    for index, (value, label) in enumerate(DealStage.choices):
        cards = list(
            deals.filter(stage=value)
            .select_related("company", "programme")
            .order_by("-opened_on", "-pk")[:BOARD_CARDS]
        )
        forward = order[index + 1] if value in DealStage.open_stages() else None
        columns.append(
            {
                "stage": value,
                "label": label,
                "count": totals.get(value, {}).get("n", 0),
                "value": totals.get(value, {}).get("value"),
                "cards": [(deal, deal.programme_id in recordable) for deal in cards],
                "next": forward,
                "next_label": DealStage(forward).label if forward else "",
            }
        )
    context = {
        "columns": columns,
        "programmes": programmes,
        "partners": partners,
        "chosen": chosen or "",
        "market_box": market_box,
        "partner": partner,
        "unapplied": unapplied,
        "here": request.get_full_path(),
        "can_create": bool(recordable),
    }
    return render(request, "deals/board.html", context)


@login_required
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """One click moves a deal to another stage; a stage that needs more (an agreement type,
    a closing date) opens the deal's form instead, with the reason."""
    deal = get_object_or_404(Deal.objects.visible_to(request.user), pk=pk)
    if not deal.programme.is_recordable_by(request.user):
        raise PermissionDenied(_("You cannot move deals in this programme."))
    back = next_url(request, reverse("deals:board"))
    stage = request.POST.get("stage", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    if stage not in DealStage.values:
        messages.error(request, _("Choose a stage."))
        return redirect(back)
    if version != deal.version:
        messages.error(
            request, _("Someone else changed this deal meanwhile. Check it and try again.")
        )
        return redirect(back)
    deal.stage = stage
    if stage in (DealStage.WON, DealStage.LOST) and not deal.closed_on:
        deal.closed_on = timezone.localdate()
    try:
        deal.full_clean()
        deal.save_versioned(version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(with_next(reverse("deals:edit", args=[deal.pk]), back))
    except StaleEdit as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(
        request,
        _("%(deal)s moved to %(stage)s.")
        % {"deal": deal.counterpart, "stage": deal.get_stage_display()},
    )
    return redirect(back)
