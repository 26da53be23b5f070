"""Events the partner network raises (cluetrain.core.events): webhooks, reputation react."""

from dataclasses import dataclass

from cluetrain.core.events import Event


@dataclass(frozen=True, slots=True)
class ReferralCreated(Event):
    referral_id: int


@dataclass(frozen=True, slots=True)
class ReferralUpdated(Event):
    """Accepted, declined, its outcome recorded or rated: `change` says which."""

    referral_id: int
    change: str


@dataclass(frozen=True, slots=True)
class ReferralRated(Event):
    referral_id: int
