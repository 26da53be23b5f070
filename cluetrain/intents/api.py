"""Personal requests (intentcasting) in the JSON API."""

from ninja import Router

router = Router(tags=["intents"])
