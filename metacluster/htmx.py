"""One view, two renderings: what the views share to answer htmx requests with a fragment."""

from django.http import HttpRequest


def htmx_partial(request: HttpRequest) -> bool:
    """True when htmx asks for a fragment to swap into the page; False for a normal visit, and
    also when htmx restores a page from history (it needs the whole page then) or targets the
    whole body (it swaps in what a full page would show)."""
    return (
        request.headers.get("HX-Request") == "true"
        and not request.headers.get("HX-History-Restore-Request")
        and request.headers.get("HX-Target") != "body"
    )
