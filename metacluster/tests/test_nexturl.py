"""Where an action returns to: the page it was started from, never another site."""

import pytest
from django.test import RequestFactory

from metacluster.nexturl import next_url, with_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/companies/7/", "/companies/7/"),  # a page of this site
        ("/companies/7/?section=deals", "/companies/7/?section=deals"),
        ("https://evil.example/", "/fallback/"),  # another host: an open redirect
        ("//evil.example/", "/fallback/"),  # scheme-relative: another host too
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_next_url_follows_only_this_site(target, expected):
    request = RequestFactory().get("/deals/new/", {"next": target})
    assert next_url(request, "/fallback/") == expected


def test_a_posted_next_wins_over_the_query_string():
    request = RequestFactory().post("/deals/new/?next=/a/", {"next": "/b/"})
    assert next_url(request, "/") == "/b/"


def test_with_next_adds_parameters_and_the_way_back():
    url = with_next("/deals/new/", "/companies/7/", company=7, market=None)
    assert url == "/deals/new/?company=7&next=%2Fcompanies%2F7%2F"
