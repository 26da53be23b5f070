"""The whole-product partner network in the JSON API."""

from ninja import Router

router = Router(tags=["partners"])
