"""Order routing (Shopatron) in the JSON API."""

from ninja import Router

router = Router(tags=["orders"])
