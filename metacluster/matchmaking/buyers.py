"""Invited foreign buyers: advisors invite them; they publish through a personal link.

A buyer has no account. `/matchmaking/b/<key>/...` pages find the buyer by the hash of the key
in the link (as events do for their buyers) and show only that buyer's own opportunities and
the interest in them; any other opportunity, or a revoked or unknown key, is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from .forms import BuyerInviteForm, BuyerOpportunityForm
from .models import Buyer
from .workflows import invite_buyer, save_buyer_opportunity


def _require_inviter(user) -> None:
    if user.is_sme or not Programme.objects.recordable_by(user).exists():
        raise PermissionDenied(_("Only the programmes' partners invite buyers."))


@login_required
def buyers(request: HttpRequest) -> HttpResponse:
    """The buyers one's organisation invited, and a form to invite another."""
    user = request.user
    _require_inviter(user)
    form = BuyerInviteForm(request.POST or None, user=user)
    link = None
    if request.method == "POST" and form.is_valid():
        link = invite_buyer(
            form.instance,
            by=user,
            link_for=lambda key: request.build_absolute_uri(f"/matchmaking/b/{key}/"),
        )
        messages.success(request, _("The invitation is sent."))
        form = BuyerInviteForm(user=user)
    context = {
        "form": form,
        "link": link,
        "buyers": Buyer.objects.visible_to(user).select_related("programme", "partner"),
    }
    return render(request, "matchmaking/buyers.html", context)


@login_required
@require_POST
def buyer_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    buyer = get_object_or_404(Buyer.objects.visible_to(user), pk=pk)
    _require_inviter(user)
    Buyer.objects.filter(pk=buyer.pk).update(revoked_at=timezone.now())
    messages.success(request, _("The buyer's link no longer works."))
    return redirect("matchmaking:buyers")


def _buyer(key: str) -> Buyer:
    buyer = Buyer.objects.by_key(key)
    if buyer is None:
        raise Http404(_("This link is not valid; ask the partner who invited you for a new one."))
    return buyer


def buyer_home(request: HttpRequest, key: str) -> HttpResponse:
    buyer = _buyer(key)
    opportunities = buyer.opportunities.prefetch_related("interests__company")
    return render(
        request,
        "matchmaking/buyer_home.html",
        {"buyer": buyer, "opportunities": opportunities, "base": f"/matchmaking/b/{key}/"},
    )


def buyer_opportunity_edit(request: HttpRequest, key: str, pk: int | None = None) -> HttpResponse:
    buyer = _buyer(key)
    opportunity = get_object_or_404(buyer.opportunities, pk=pk) if pk else None
    form = BuyerOpportunityForm(request.POST or None, instance=opportunity, buyer=buyer)
    if request.method == "POST" and form.is_valid():
        try:
            save_buyer_opportunity(form, buyer)
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Saved; the partner reviews it before it is published.")
                if buyer.moderated
                else _("Saved and published."),
            )
            return redirect(f"/matchmaking/b/{key}/")
    title = _("Edit opportunity") if opportunity else _("New opportunity")
    context = {"form": form, "title": title, "cancel_url": f"/matchmaking/b/{key}/"}
    return render(request, "form.html", context)
