"""Matchmaking: the JSON API."""

from ninja import Router

router = Router(tags=["matchmaking"])
