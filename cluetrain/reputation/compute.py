"""Recompute every reputation from the platform's ratings, with the defences against gaming."""

from django.db import transaction
from django.utils import timezone

from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization
from cluetrain.reputation.models import FlaggedAccount, Reputation
from cluetrain.reputation.reasons import flag_sentence
from cluetrain.reputation.signals import ratings
from cluetrain_analytics.reputation.defences import compute_reputation


def _party(key: str) -> tuple[str, int]:
    side, _, pk = key.partition(":")
    return side, int(pk)


@transaction.atomic
def refresh_reputation() -> int:
    """Replace every Reputation and FlaggedAccount row; returns how many parties are rated.

    One transaction: pages never see half a recomputation, and a crash leaves the last one.
    """
    # Taken before the ratings are read: a rating queued after this instant is not covered,
    # so its task (recompute_reputation) still runs.
    now = timezone.now()
    rows = ratings()
    report = compute_reputation(rows)
    raters: dict[str, set[str]] = {}
    for rater, target, _value, _at in rows:
        raters.setdefault(target, set()).add(rater)
    members = set(Member.objects.values_list("pk", flat=True))
    organizations = set(Organization.objects.values_list("pk", flat=True))
    fresh = []
    for key, reputation in report.scores.items():
        side, pk = _party(str(key))
        if (side == "m" and pk not in members) or (side == "o" and pk not in organizations):
            continue
        fresh.append(
            Reputation(
                member_id=pk if side == "m" else None,
                organization_id=pk if side == "o" else None,
                score=reputation.score,
                ratings=int(reputation.explanation["ratings_counted"]),
                raters=len(raters.get(str(key), ())),
                explanation=reputation.explanation,
                computed_at=now,
            )
        )
    Reputation.objects.all().delete()
    Reputation.objects.bulk_create(fresh, batch_size=1000)
    FlaggedAccount.objects.all().delete()
    FlaggedAccount.objects.bulk_create(
        [
            FlaggedAccount(
                member_id=_party(str(key))[1],
                reasons=[flag_sentence(reason).to_json() for reason in reasons],
                computed_at=now,
            )
            for key, reasons in report.flagged.items()
            if _party(str(key))[0] == "m" and _party(str(key))[1] in members
        ]
    )
    return len(fresh)
