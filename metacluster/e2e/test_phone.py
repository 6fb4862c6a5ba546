"""Every page on a phone: a 390×844 screen (an iPhone 12–15), as an SME and as an advisor.

Each page reachable from the menu, and the first record of each list, must never scroll
sideways and must show the start of its content on the first screen (the menu folds away)."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Downloads and actions, not pages: the crawl does not follow these.
NOT_PAGES = (
    "/new",
    "/import",
    "export",
    ".csv",
    ".ics",
    ".xlsx",
    ".pdf",
    ".json",
    "/admin/",
    "logout",
)


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, locale="en-GB", timezone_id="Europe/Stockholm", has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def layout(page) -> dict:
    return page.evaluate(
        """() => {
            // A printable document (a letter) has no <main>: its body is the content.
            const main = document.querySelector('main') || document.body;
            const first = main.querySelector('h1, h2, .card, table, form, p') || main;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .filter(e => !e.closest('table, pre, .scroll'))
                .slice(0, 5)
                .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'));
            return {
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: innerWidth,
                innerHeight: innerHeight,
                contentTop: first.getBoundingClientRect().top,
                wide: wide,
            };
        }"""
    )


def assert_fits_a_phone(page, url):
    # Wait for the sections a page loads after itself (htmx): they are measured too, and the
    # next page is not requested while they still run.
    response = page.goto(url, wait_until="networkidle")
    assert response.status < 400, f"{url}: {response.status}"
    found = layout(page)
    assert found["scrollWidth"] <= found["innerWidth"], (url, found)
    assert found["contentTop"] < found["innerHeight"], (url, found)


def menu_links(page, live_server) -> list[str]:
    hrefs = page.eval_on_selector_all("header.top nav a[href]", "links => links.map(a => a.href)")
    wanted = []
    for href in hrefs:
        if href.startswith(live_server.url) and not any(part in href for part in NOT_PAGES):
            if href not in wanted:
                wanted.append(href)
    return wanted


def first_record(page, list_url: str) -> str | None:
    """The first link in the page's content to a record under the list's own path."""
    base = urlparse(list_url).path
    for href in page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)"):
        path = urlparse(href).path
        if (
            urlparse(href).netloc == urlparse(list_url).netloc  # this site, not a video room
            and path.startswith(base)
            and path.rstrip("/") != base.rstrip("/")
            and any(c.isdigit() for c in path[len(base) :])
            and not any(part in href for part in NOT_PAGES + ("/edit/",))
        ):
            return href
    return None


def section_links(page) -> list[str]:
    """A record's own navigation (an event's agenda, requests, participants...)."""
    return page.eval_on_selector_all(".event-nav a[href]", "links => links.map(a => a.href)")


@pytest.mark.parametrize("username", ["sme", "advisor.tehnopol"])
def test_every_menu_page_and_its_first_record_fit_a_phone(phone, live_server, demo, username):
    log_in(phone, live_server, username)
    pages = menu_links(phone, live_server)
    assert len(pages) >= 8, pages
    visited = []
    for url in pages:
        assert_fits_a_phone(phone, url)
        visited.append(url)
        record = first_record(phone, url)
        if record:
            assert_fits_a_phone(phone, record)
            visited.append(record)
            for section in section_links(phone):
                if (
                    section.startswith(live_server.url)
                    and section not in visited
                    and not any(p in section for p in NOT_PAGES)
                ):
                    assert_fits_a_phone(phone, section)
                    visited.append(section)
    assert len(visited) > len(pages)  # some lists opened onto a record


def test_the_menu_folds_behind_a_toggle_on_a_phone(live_server, demo, phone):
    # The browser is set up after the server, so it closes first: no htmx request of the
    # page (the inbox badge) is still running when the test database is emptied.
    log_in(phone, live_server, "advisor.tehnopol")
    programmes = phone.locator("header.top nav a", has_text="Programmes")
    assert not programmes.is_visible()
    phone.click("label.menu-button")
    expect(programmes).to_be_visible()
    height = programmes.bounding_box()["height"]
    assert height >= 44  # a touch target
    programmes.click()
    phone.wait_for_url("**/programmes/")
    phone.wait_for_load_state("networkidle")


def test_the_language_switch_works_from_its_static_script(phone, live_server):
    # No inline handler (a Content-Security-Policy is coming): static/js/app.js submits it.
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.click("label.menu-button")
    phone.select_option("#language-switch", "fi")
    phone.wait_for_selector("html[lang=fi]")
    assert phone.locator(".language-go").is_hidden()  # the button is only for pages without script
