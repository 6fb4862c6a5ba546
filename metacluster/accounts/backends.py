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
