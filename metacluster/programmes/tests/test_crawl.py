"""Every link a user is shown opens for that user, on the full demo data, for every role.

A crawler follows the links from the home page, as a person clicking around would; a link
that leads to an error, a refusal or a page that is not there is a bug, whoever the user is."""

import re
from collections import deque

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from metacluster.accounts.models import User

LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages: the admin has its own tests, logout is a POST, static files are not views.
SKIP = ("/admin/", "/static/", "/api/v1/docs", "/accounts/logout/")
MAX_PAGES = 120  # enough to reach every kind of page; lists are paginated


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def crawl(client: Client, pages: dict[str, str] | None = None) -> dict[str, int]:
    """Status per visited URL; with `pages`, also each HTML page's text by URL."""
    seen: dict[str, int] = {}
    queue = deque(["/"])
    per_kind: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        # Visit a few pages of each kind (e.g. /companies/<id>/), not all 400 companies.
        kind = re.sub(r"\d+", "N", url.split("?")[0])
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] > 3:
            continue
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if pages is not None:
                pages[url] = response.text
            queue.extend(link.replace("&amp;", "&") for link in LINK.findall(response.text))
    return seen


@pytest.mark.parametrize("username", ["admin", "manager.fov", "advisor.tehnopol", "viewer", "sme"])
def test_every_link_a_user_sees_opens(demo, db, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    visited = crawl(client)
    broken = {url: status for url, status in visited.items() if status != 200}
    assert not broken, broken
    assert len(visited) >= 5  # the crawl really went somewhere


def main_links(html: str) -> list[str]:
    """The links of a page's own content, without the menu; a form counts as a way on."""
    main = html.split("<main>", 1)[-1]
    links = [link.replace("&amp;", "&") for link in LINK.findall(main)]
    return links + ["<form>"] * main.count("<form")


# A record page: /deals/12/, /requests/3/, /readiness/7/, /markets/studies/4/, /events/2/ ...
RECORD = re.compile(r"^/(?:[a-z-]+/)+\d+/$")


def hub_of(url: str, links: list[str]) -> bool:
    """Whether a record page links back to a hub: a company's page, the home page, or a page
    above it in its own area (/deals/ for /deals/12/, /guides/markets/SE/ for a barrier)."""
    section = "/" + url.strip("/").split("/")[0] + "/"
    for link in links:
        path = link.split("?")[0]
        if path == "/" or re.match(r"^/companies/\d+/$", path):
            return True
        if (
            path.startswith(section)
            and not RECORD.match(path)
            and path.count("/") <= url.count("/")
        ):
            return True
    return False


@pytest.mark.parametrize("username", ["manager.fov", "advisor.tehnopol", "viewer", "sme"])
def test_no_page_a_menu_leads_to_is_a_dead_end(demo, db, username):
    """From every page a role reaches through its menu there is a way on (a link in the page
    itself, not only the menu), and every record page links back to its hub."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    pages: dict[str, str] = {}
    crawl(client, pages)
    dead = [url for url, html in pages.items() if not main_links(html)]
    assert not dead, "\n".join(dead)
    orphans = [
        url
        for url, html in pages.items()
        if RECORD.match(url)
        and not url.startswith("/companies/")
        and not hub_of(url, main_links(html))
    ]
    assert not orphans, "\n".join(orphans)
