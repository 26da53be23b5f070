"""What personal requests tell the apps that react (cluetrain.core.events): webhooks and
reputation."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class IntentPosted(Event):
    """A customer posted a request (webhook `request.posted`)."""

    intent_id: int


@dataclass(frozen=True, slots=True)
class OfferMade(Event):
    """A vendor answered a request with an offer (webhook `offer.made`)."""

    offer_id: int


@dataclass(frozen=True, slots=True)
class OfferAccepted(Event):
    deal_id: int


@dataclass(frozen=True, slots=True)
class DealRated(Event):
    """One side rated the other after a deal: reputation recomputes."""

    rating_id: int
