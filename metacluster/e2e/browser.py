"""What the end-to-end tests do the same way in every journey."""

from django.contrib.auth import get_user_model

from metacluster.conftest import PASSWORD
from metacluster.demo import DEMO_PASSWORD


def log_in(page, live_server, user, password=None):
    """Log in through the login form, as a person would, and wait for the landing page.

    `user` is a User made by a test (its password is the tests' PASSWORD) or the username of a
    demo user (whose password is DEMO_PASSWORD); `password` overrides either.
    """
    if isinstance(user, get_user_model()):
        username, password = user.username, password or PASSWORD
    else:
        username, password = user, password or DEMO_PASSWORD
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways, measured once it has loaded and settled.

    A click that navigates returns before the next document exists; measuring then reads a
    page with no root element, so wait for the load and for htmx's own requests first.
    """
    page.wait_for_load_state("networkidle")
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
