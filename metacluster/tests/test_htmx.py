"""The one htmx helper: which requests get a fragment and which the whole page."""

import pytest
from django.test import RequestFactory

from metacluster.htmx import htmx_partial


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),  # a normal visit gets the page
        ({"HX-Request": "true"}, True),  # htmx swapping a fragment
        ({"HX-Request": "true", "HX-Target": "results"}, True),
        # htmx restoring a page from history needs the whole page
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "true", "HX-Target": "body"}, False),  # swapping the whole body
    ],
)
def test_htmx_partial_answers_a_fragment_only_for_a_fragment_swap(headers, fragment):
    request = RequestFactory().get("/", headers=headers)
    assert htmx_partial(request) is fragment
