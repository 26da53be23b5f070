"""The demo's partner network: every partner listed with its area, referrals in every state,
and planting twice adds nothing."""

import time

from cluetrain.demo.generate import DEMO_EMAIL_DOMAIN, generate
from cluetrain.members.models import Member
from cluetrain.partners.demo import plant_partner_network
from cluetrain.partners.models import Category, Listing, Referral


def test_the_demo_partner_network(db: None) -> None:
    generate(seed=7, members=80, posts=200, progress=False)
    started = time.monotonic()
    line = plant_partner_network(DEMO_EMAIL_DOMAIN)
    assert time.monotonic() - started < 10
    assert "/experts/team/?text=" in line
    assert Category.objects.count() >= 12
    listings = Listing.objects.select_related("organization").prefetch_related("areas")
    assert listings.count() >= 15
    assert all(listing.areas.all() for listing in listings)
    assert all(a.latitude is not None for listing in listings for a in listing.areas.all())
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)
    assert Referral.objects.filter(stars__isnull=False).count() >= 3
    partner = Member.objects.get(username="partner")
    assert Referral.objects.filter(provider=partner.organization, status="pending").exists()
    assert Referral.objects.filter(customer__username="customer").count() >= 2
    count = Referral.objects.count()
    plant_partner_network(DEMO_EMAIL_DOMAIN)
    assert Referral.objects.count() == count
