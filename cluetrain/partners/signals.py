"""The customers' ratings of referred providers, as reputation rows (registered in ready()).

A rating of s stars counts (s - 3) / 2 from the customer to the provider organization, the
same scale as a review.
"""

from collections.abc import Iterator

from cluetrain.partners.models import Referral

Row = tuple[str, str, float, float]


def referral_ratings() -> Iterator[Row]:
    rows = Referral.objects.filter(rated_at__isnull=False, stars__isnull=False).values_list(
        "customer_id", "provider_id", "stars", "rated_at"
    )
    for customer, provider, stars, at in rows:
        if stars is not None and at is not None:
            yield f"m:{customer}", f"o:{provider}", (stars - 3) / 2, at.timestamp()
