"""A small partner network: two categories, three partners, pat works for one of them."""

from dataclasses import dataclass

import pytest

from cluetrain.organizations.models import Offering, Organization
from cluetrain.partners.actions import do_list_partner
from cluetrain.partners.models import Category
from conftest import Cast, Places


@dataclass
class Network:
    inspection: Category
    banking: Category
    acme: Organization  # inspections in Austin; pat works there
    lonestar: Organization  # inspections in Dallas
    keystone: Organization  # a bank in Austin


def _partner(name: str, slug: str, description: str, offerings: list[str]) -> Organization:
    org = Organization.objects.create(
        name=name, slug=slug, kind=Organization.Kind.PARTNER, description=description
    )
    for title in offerings:
        Offering.objects.create(provider=org, title=title, description=title)
    return org


def make_network(cast: Cast) -> Network:
    """Two categories, three listed partners; pat works for Acme."""
    inspection = Category.objects.create(name="Home inspector", slug="inspection", position=1)
    banking = Category.objects.create(name="Bank", slug="bank", position=2)
    acme = _partner(
        "Acme Inspections",
        "acme",
        "Home inspections before you buy.",
        ["Roof and foundation inspection", "Smart home wiring check"],
    )
    lonestar = _partner(
        "Lone Star Inspect", "lonestar", "Inspections.", ["Pool and septic inspection"]
    )
    keystone = _partner("Keystone Bank", "keystone", "Mortgages.", ["First-time buyer mortgage"])
    do_list_partner(acme, inspection, [("Austin, TX", 60)])
    do_list_partner(lonestar, inspection, [("Dallas", 40)])
    do_list_partner(keystone, banking, [("Austin, TX", 100)])
    cast.pat.organization = acme
    cast.pat.save(update_fields=["organization"])
    return Network(inspection, banking, acme, lonestar, keystone)


@pytest.fixture
def network(cast: Cast, places: Places) -> Network:
    return make_network(cast)
