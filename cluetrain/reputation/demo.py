"""A vote ring for the demo: sock accounts made the same day that vouch for one another and
block a well-regarded member. The reputation defences should flag every one of them."""

from django.db import transaction
from django.db.models import Count

from cluetrain.members.models import Member, Profile
from cluetrain.relationships.actions import do_express

RING_SIZE = 12
RING_PREFIX = "ringer"


def plant_vote_ring(email_domain: str) -> Member | None:
    """Plant the ring against the customer most answers were accepted from; return the target."""
    target = (
        Member.objects.filter(role=Member.Role.CUSTOMER, email__endswith=f"@{email_domain}")
        .annotate(accepted=Count("posts__accepted_for"))
        .order_by("-accepted", "pk")
        .first()
    )
    if target is None:
        return None
    with transaction.atomic():
        ring = []
        for n in range(RING_SIZE):
            sock, _ = Member.objects.get_or_create(
                username=f"{RING_PREFIX}{n}",
                defaults={
                    "email": f"{RING_PREFIX}{n}@{email_domain}",
                    "display_name": f"Deal Hunter {n}",
                },
            )
            Profile.objects.get_or_create(member=sock)
            ring.append(sock)
        for sock in ring:
            for other in ring:
                if other != sock:
                    do_express(sock, "vouch", other)
            do_express(sock, "blacklist", target)
    return target
