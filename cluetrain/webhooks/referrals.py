"""`referral.created` and `referral.updated`: the partner network's referrals
(cluetrain.partners), sent after commit with the referral as it then stands."""

from cluetrain.core.links import absolute_url
from cluetrain.partners.events import ReferralCreated, ReferralUpdated
from cluetrain.partners.models import Referral
from cluetrain.webhooks.events import Payload, _member, create_deliveries
from cluetrain.webhooks.models import Event


def referral_data(referral_id: int) -> Payload | None:
    found = (
        Referral.objects.select_related(
            "referrer", "customer", "provider", "category", "answered_by"
        )
        .filter(pk=referral_id)
        .first()
    )
    if found is None:
        return None
    return {
        "referral": {
            "id": found.pk,
            "status": found.status,
            "need": found.need,
            "place": found.place,
            "category": found.category.slug if found.category else None,
            "category_name": found.category.name if found.category else None,
            "referrer": _member(found.referrer),
            "customer": _member(found.customer),
            "provider": {"slug": found.provider.slug, "name": found.provider.name},
            "answered_by": _member(found.answered_by),
            "answer_note": found.answer_note,
            "stars": found.stars,
            "rating_words": found.rating_words,
            "created_at": found.created_at.isoformat(),
            "answered_at": found.answered_at.isoformat() if found.answered_at else None,
            "closed_at": found.closed_at.isoformat() if found.closed_at else None,
            "rated_at": found.rated_at.isoformat() if found.rated_at else None,
            "url": absolute_url("referral", found.pk),
        }
    }


def on_referral_created(event: ReferralCreated) -> None:
    data = referral_data(event.referral_id)
    if data is not None:
        create_deliveries(Event.REFERRAL_CREATED, event.referral_id, data=data)


def on_referral_updated(event: ReferralUpdated) -> None:
    data = referral_data(event.referral_id)
    if data is not None:
        data["referral"]["change"] = event.change
        create_deliveries(Event.REFERRAL_UPDATED, event.referral_id, data=data)
