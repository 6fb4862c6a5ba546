"""`next=` is followed only to a page of this site (one helper, metacluster.nexturl, used by
every view that follows one)."""

import pytest
from django.test import RequestFactory

from metacluster.nexturl import next_url


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "",
    ],
)
def test_a_target_off_this_site_falls_back_to_the_default(target):
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/home/") == "/home/"


@pytest.mark.parametrize("target", ["/companies/?q=a", "http://testserver/companies/"])
def test_a_target_on_this_site_is_followed(target):
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/home/") == target


def test_an_https_site_does_not_follow_a_plain_http_target():
    request = RequestFactory().post("/", {"next": "http://testserver/x/"}, secure=True)
    assert next_url(request, "/home/") == "/home/"
