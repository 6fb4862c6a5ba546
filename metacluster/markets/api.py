"""Export markets: the JSON API."""

from ninja import Router

router = Router(tags=["markets"])
