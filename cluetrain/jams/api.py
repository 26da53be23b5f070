"""Idea jams in the JSON API."""

from ninja import Router

router = Router(tags=["jams"])
