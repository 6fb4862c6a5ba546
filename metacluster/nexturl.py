"""Where to go after an action: back to the page it was started from (`next=`), if safe.

A hub page (the company hub, a home page) links to an action with `?next=<its own path>`; the
action's view redirects there when it is done. Only a path on this site is followed — never
another host — so a crafted link cannot send a user away (an open redirect)."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request: HttpRequest, target: str) -> bool:
    """Whether `target` is a page of this site (same host; https only when this request is),
    never another site, a scheme-relative `//host` or a `javascript:` URL."""
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request: HttpRequest, default: str = "") -> str:
    """The `next` of the POST or the query string when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_safe(request, target) else default


def with_next(url: str, back: str, **params) -> str:
    """`url` with query parameters and `next=back` added."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    params["next"] = back
    return url + ("&" if "?" in url else "?") + urlencode(params)
