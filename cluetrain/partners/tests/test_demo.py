"""The demo's partner network: every partner listed with its areas and categories, referrals
in every state, a prospect for which the team builder proposes a team of several people who
each bring a skill, and planting twice adds nothing."""

import time
from io import StringIO

from django.core.management import call_command

from cluetrain.demo.generate import DEMO_EMAIL_DOMAIN, generate
from cluetrain.expertise.finder import forget
from cluetrain.expertise.teams import Prospect, propose
from cluetrain.members.models import Member
from cluetrain.partners.demo import PROSPECT, TEAM_SKILLS, plant_partner_network
from cluetrain.partners.models import Category, Listing, Provision, Referral
from cluetrain.threads.models import Post


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
    # A partner may provide several categories.
    several = Listing.objects.get(organization__name="Pennine Smart Installs")
    assert [c.name for c in several.provided()] == [
        "Installer",
        "Electrician network",
        "Handyman service",
    ]
    count, posts, provisions = (
        Referral.objects.count(),
        Post.objects.count(),
        Provision.objects.count(),
    )
    plant_partner_network(DEMO_EMAIL_DOMAIN)
    assert Referral.objects.count() == count
    assert Post.objects.count() == posts
    assert Provision.objects.count() == provisions
    # The team builder on the demo prospect: the relationships the demo computes after the
    # plants, then a team of 3 or 4 people, each bringing a skill, close to each other.
    call_command("relationships", stdout=StringIO())
    forget()
    prospect = Prospect(
        text=PROSPECT["text"],
        skills=tuple(PROSPECT["skills"].split()),
        place=PROSPECT["place"],
        customer=Member.objects.get(username="customer"),
    )
    assert prospect.skills == TEAM_SKILLS
    team = propose(prospect)
    assert team.uncovered == ()
    assert set(team.covers) == set(TEAM_SKILLS)
    assert 3 <= team.size <= 4
    assert all(member.skills for member in team.members)  # each brings a skill
    assert len(set(team.covers.values())) == team.size
    assert team.costs.disconnected == 0
    assert team.costs.diameter < 1.5  # every two of them are tied directly, and well
    # Each covers a skill they answered questions about (accepted answers).
    for skill, person in team.covers.items():
        assert Post.objects.filter(
            author_id=int(str(person)), thread__tags__slug=skill, accepted_for__isnull=False
        ).exists()
