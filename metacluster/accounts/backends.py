"""The login throttle in front of the model backend."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check of every login made through a web request (the login page, the
    admin's). Code that authenticates without a request (a management command, a test client's
    `login()`) is not a login path an attacker can reach, so it is passed on to the model
    backend rather than refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address failed logins are counted against (django-axes' AXES_CLIENT_IP_CALLABLE).

    With no proxy in front (TRUSTED_PROXY_COUNT=0) it is the peer address, and any
    X-Forwarded-For a client sends is ignored. Behind N trusted proxies each appends the address
    it received the request from, so the client's is the N-th from the right; anything further
    left was written by the client and is not believed. A header shorter than that did not pass
    through all the proxies: the peer address counts."""
    from django.conf import settings

    peer = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        return peer
    return hops[-proxies]
