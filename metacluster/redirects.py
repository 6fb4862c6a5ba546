"""Where a form may send the user back to: the one check of every `next=` the views follow."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["redirect_back", "safe_next", "safe_url"]


def safe_url(request: HttpRequest, target: str) -> bool:
    """Whether `target` is a page of this site (same host; https only when this request is),
    never another site, a scheme-relative `//host` or a `javascript:` URL."""
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The `next` of the POST (or query string) if it is a page of this site, else `default`
    (a URL or a URL name, as `redirect` takes)."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    return target if safe_url(request, target) else resolve_url(default)


def redirect_back(request: HttpRequest, default: str, *, field: str = "next"):
    return HttpResponseRedirect(safe_next(request, default, field=field))
