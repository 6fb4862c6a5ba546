from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import home as home_pages
from .forms import PreferencesForm, TokenForm
from .models import ApiToken


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login: each role's own (see home.py)."""
    user = request.user
    role = home_pages.role_of(user)
    if role == "sme":
        context = home_pages.sme(user)
    elif role == "manager":
        context = home_pages.manager(user)
    elif role == "advisor":
        context = home_pages.inbox(user)
    else:
        context = home_pages.viewer(user)
    return render(request, f"accounts/home_{role}.html", {"role": role, **context})


@login_required
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The menu's badge: how many items wait in the user's inbox (loaded after the page)."""
    count = home_pages.inbox_count(request.user)
    return render(request, "accounts/_badge.html", {"count": count})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("accounts:profile")
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "token_form": TokenForm(),
            "new_key": request.session.pop("new_api_key", None),
        },
    )


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _token, key = ApiToken.issue(request.user, data["name"], days=data["days"])
        # Shown once on the next page, never stored in clear.
        request.session["new_api_key"] = key
    else:
        messages.error(request, _("Give the token a name and choose how long it is valid."))
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:profile")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers a login that is locked out: 429 and a clear message, the
    same on the login page and the admin's."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
