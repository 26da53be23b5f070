"""Partner-network targets for the API permission matrix (cluetrain/api/tests).

pat (the matrix's partner) works for Acme, a listed inspector; alice (the customer) has a
referral to Acme in the state each call needs; Keystone, a listed bank, takes new referrals.
"""

from collections.abc import Callable
from typing import Any

from cluetrain.members.models import Member
from cluetrain.organizations.models import Offering, Organization
from cluetrain.partners.actions import (
    do_answer_referral,
    do_list_partner,
    do_record_outcome,
    do_refer,
)
from cluetrain.partners.models import Category, Referral

Params = Callable[[Any, Member | None], dict[str, Any]]


def network(world: Any) -> tuple[Organization, Organization]:
    inspection, _ = Category.objects.get_or_create(
        slug="inspection", defaults={"name": "Home inspector"}
    )
    bank, _ = Category.objects.get_or_create(slug="bank", defaults={"name": "Bank"})
    acme, created = Organization.objects.get_or_create(
        slug="acme", defaults={"name": "Acme Inspections", "kind": Organization.Kind.PARTNER}
    )
    keystone, _ = Organization.objects.get_or_create(
        slug="keystone", defaults={"name": "Keystone Bank", "kind": Organization.Kind.PARTNER}
    )
    if created:
        Offering.objects.create(provider=acme, title="Roof inspection")
        do_list_partner(acme, inspection, [("Austin, TX", 60)])
        do_list_partner(keystone, bank, [("Austin, TX", 100)])
    pat = world.cast.pat
    pat.organization = acme
    pat.save(update_fields=["organization"])
    return acme, keystone


def listed(world: Any, me: Member | None) -> dict[str, Any]:
    network(world)
    return {"slug": "acme"}


def bank_category(world: Any, me: Member | None) -> dict[str, Any]:
    network(world)
    return {"slug": "bank"}


def referral_in(status: str) -> Params:
    """Params naming alice's referral to Acme, taken as far as `status`."""

    def params(world: Any, me: Member | None) -> dict[str, Any]:
        acme, _ = network(world)
        alice, pat = world.cast.alice, world.cast.pat
        referral = do_refer(alice, customer=alice, provider=acme, need="Inspect the roof")
        if status != Referral.Status.PENDING:
            do_answer_referral(pat, referral, accept=True)
        if status == Referral.Status.COMPLETED:
            do_record_outcome(pat, referral, completed=True)
        return {"referral_id": referral.pk}

    return params
