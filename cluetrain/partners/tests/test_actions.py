"""Referrals through their life, the refusals, the relationship events and reputation rows,
bundles and offline places."""

from collections.abc import Callable
from typing import Any

import pytest

from cluetrain.core.errors import ActionError
from cluetrain.notifications.models import Notification
from cluetrain.organizations.models import Organization
from cluetrain.partners import bundles
from cluetrain.partners.actions import (
    check_answer_referral,
    check_list_partner,
    check_rate_referral,
    check_record_outcome,
    check_refer,
)
from cluetrain.partners.models import Referral
from cluetrain.partners.signals import referral_ratings
from cluetrain.partners.tests.conftest import Network
from cluetrain.relationships import ties
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.reputation.models import Reputation
from cluetrain.reputation.signals import ratings
from cluetrain_analytics.places import distance_km, geocode
from conftest import Cast

OnCommit = Callable[..., Any]


def _refer(cast: Cast, network: Network) -> Referral:
    return check_refer(
        cast.alice, customer=cast.alice, provider=network.acme, need="Inspect the roof"
    )


def test_a_referral_through_its_life(cast: Cast, network: Network) -> None:
    referral = _refer(cast, network)
    assert referral.status == Referral.Status.PENDING
    assert referral.category == network.inspection
    # The provider's people hear of it.
    assert Notification.objects.filter(recipient=cast.pat, kind="referral").count() == 1

    check_answer_referral(cast.pat, referral, accept=True, note="Tuesday works")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.answered_by == cast.pat
    # alice found Acme herself: a request, not an introduction.
    asked = RelationshipEvent.objects.get(origin=f"referral:{referral.pk}")
    assert (asked.kind, asked.actor_member) == ("request", cast.alice)
    assert asked.target_organization == network.acme
    assert Notification.objects.filter(recipient=cast.alice, kind="referral").exists()

    check_record_outcome(cast.pat, referral, completed=True)
    assert referral.status == Referral.Status.COMPLETED
    assert RelationshipEvent.objects.filter(
        origin=f"referral:{referral.pk}:completed", kind="contract"
    ).exists()

    check_rate_referral(cast.alice, referral, stars=5, words="Thorough and on time")
    referral.refresh_from_db()
    assert referral.stars == 5
    rating = RelationshipEvent.objects.get(origin=f"referral:{referral.pk}:rating")
    assert (rating.kind, rating.actor_member, rating.target_organization) == (
        "recommend",
        cast.alice,
        network.acme,
    )
    rows = list(referral_ratings())
    assert [row[:3] for row in rows] == [(f"m:{cast.alice.pk}", f"o:{network.acme.pk}", 1.0)]
    assert referral.rated_at is not None
    assert rows[0][3] == referral.rated_at.timestamp()
    # The reputation engine reads the registered source.
    assert (f"m:{cast.alice.pk}", f"o:{network.acme.pk}", 1.0) in [r[:3] for r in ratings()]


def test_an_accepted_referral_by_someone_else_is_an_introduction(
    cast: Cast, network: Network
) -> None:
    referral = check_refer(cast.sam, customer=cast.bob, provider=network.acme, need="Roof")
    assert Notification.objects.filter(recipient=cast.bob, kind="referral").exists()
    check_answer_referral(cast.pat, referral, accept=True)
    introduced = RelationshipEvent.objects.get(origin=f"referral:{referral.pk}")
    assert (introduced.kind, introduced.actor_member) == ("referral", cast.sam)
    assert introduced.target_organization == network.acme
    assert "referred Bob Baker" in introduced.evidence


def test_a_poor_rating_is_a_badmouth(cast: Cast, network: Network) -> None:
    referral = _refer(cast, network)
    check_answer_referral(cast.pat, referral, accept=True)
    check_record_outcome(cast.alice, referral, completed=True)
    check_rate_referral(cast.alice, referral, stars=1, words="Never showed up on time")
    assert RelationshipEvent.objects.get(origin=f"referral:{referral.pk}:rating").kind == (
        "badmouth"
    )
    assert next(referral_ratings())[2] == -1.0


def test_the_rating_feeds_the_providers_reputation(
    cast: Cast, network: Network, django_capture_on_commit_callbacks: OnCommit
) -> None:
    referral = _refer(cast, network)
    check_answer_referral(cast.pat, referral, accept=True)
    check_record_outcome(cast.pat, referral, completed=True)
    with django_capture_on_commit_callbacks(execute=True):
        check_rate_referral(cast.alice, referral, stars=5, words="Great")
    # The subscribed recomputation ran (tasks run at once in tests).
    reputation = Reputation.objects.get(organization=network.acme)
    assert reputation.ratings >= 1
    assert reputation.score > 0


def test_only_the_provider_may_accept(cast: Cast, network: Network) -> None:
    referral = _refer(cast, network)
    for outsider in (cast.alice, cast.bob, cast.sam):
        with pytest.raises(ActionError, match="Only Acme Inspections can accept") as refused:
            check_answer_referral(outsider, referral, accept=True)
        assert refused.value.status == 403
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING
    check_answer_referral(cast.pat, referral, accept=False, note="Fully booked")
    with pytest.raises(ActionError, match="already answered") as twice:
        check_answer_referral(cast.pat, referral, accept=True)
    assert twice.value.status == 409
    # A declined referral introduces nobody.
    assert not RelationshipEvent.objects.filter(origin__startswith="referral:").exists()


def test_outcome_needs_an_accepted_referral_and_a_party(cast: Cast, network: Network) -> None:
    referral = _refer(cast, network)
    with pytest.raises(ActionError, match="not accepted this referral yet"):
        check_record_outcome(cast.pat, referral, completed=True)
    check_answer_referral(cast.pat, referral, accept=True)
    with pytest.raises(ActionError, match="Only the provider or the customer") as refused:
        check_record_outcome(cast.bob, referral, completed=True)
    assert refused.value.status == 403
    check_record_outcome(cast.alice, referral, completed=False)
    with pytest.raises(ActionError, match="already recorded"):
        check_record_outcome(cast.pat, referral, completed=True)


def test_rating_only_after_completion_only_by_the_customer_and_once(
    cast: Cast, network: Network
) -> None:
    referral = _refer(cast, network)
    with pytest.raises(ActionError, match="once it is completed"):
        check_rate_referral(cast.alice, referral, stars=4, words="")
    check_answer_referral(cast.pat, referral, accept=True)
    check_record_outcome(cast.pat, referral, completed=True)
    with pytest.raises(ActionError, match="Only the customer") as refused:
        check_rate_referral(cast.pat, referral, stars=5, words="")
    assert refused.value.status == 403
    for stars in (0, 6):
        with pytest.raises(ActionError, match="1 to 5 stars") as bad:
            check_rate_referral(cast.alice, referral, stars=stars, words="")
        assert bad.value.field == "stars"
    check_rate_referral(cast.alice, referral, stars=4, words="Good")
    with pytest.raises(ActionError, match="already rated") as again:
        check_rate_referral(cast.alice, referral, stars=5, words="Better")
    assert again.value.status == 409
    referral.refresh_from_db()
    assert referral.stars == 4


def test_referral_refusals(cast: Cast, network: Network) -> None:
    with pytest.raises(ActionError, match="Describe the need"):
        check_refer(cast.alice, customer=cast.alice, provider=network.acme, need="  ")
    with pytest.raises(ActionError, match="refer yourself") as other:
        check_refer(cast.alice, customer=cast.bob, provider=network.acme, need="Roof")
    assert other.value.status == 403
    with pytest.raises(ActionError, match="not in the partner directory"):
        check_refer(
            cast.alice,
            customer=cast.alice,
            provider=Organization.objects.create(name="Unlisted", slug="unlisted", kind="vendor"),
            need="Roof",
        )
    with pytest.raises(ActionError, match="your own organization"):
        check_refer(cast.pat, customer=cast.bob, provider=network.acme, need="Roof")
    _refer(cast, network)
    with pytest.raises(ActionError, match="already has an open referral") as open_one:
        _refer(cast, network)
    assert open_one.value.status == 409
    assert Referral.objects.count() == 1
    # Staff refer a customer; so may a partner, to another partner.
    assert check_refer(cast.sam, customer=cast.bob, provider=network.acme, need="Roof").pk
    assert check_refer(cast.pat, customer=cast.bob, provider=network.keystone, need="Loan").pk


def test_listing_refusals(cast: Cast, network: Network, places: Any) -> None:
    with pytest.raises(ActionError, match="Only partner and vendor"):
        check_list_partner(places.company, network.banking)
    with pytest.raises(ActionError, match="radius"):
        check_list_partner(network.keystone, network.banking, [("Austin", 0)])


def test_places_are_geocoded_offline() -> None:
    austin = geocode("Austin, TX")
    assert austin is not None
    assert austin.name == "Austin, Texas, United States"
    dallas = geocode("Dallas")
    assert dallas is not None
    assert (
        280
        < distance_km(austin.latitude, austin.longitude, dallas.latitude, dallas.longitude)
        < 310
    )
    assert geocode("Lyon, France") is not None
    assert geocode("Paris, TX") is not None
    assert geocode("Paris, TX") != geocode("Paris")
    assert geocode("Nowhere-on-earth") is None


def test_the_bundle_proposes_one_provider_per_category_with_why(
    cast: Cast, network: Network
) -> None:
    bundle = bundles.propose(
        "roof inspection and a mortgage for a first home",
        [network.inspection, network.banking],
        place="Austin, TX",
        customer=cast.alice,
    )
    inspection, bank = bundle.proposals
    assert inspection.choice is not None
    assert inspection.choice.listing.organization == network.acme
    assert [c.listing.organization for c in inspection.alternatives] == [network.lonestar]
    assert "serves Austin, TX" in inspection.choice.reasons
    assert any("Roof and foundation inspection" in r for r in inspection.choice.reasons)
    assert inspection.choice.parts["distance"] == 1.0
    assert inspection.alternatives[0].parts["distance"] < 1.0
    assert bank.choice is not None
    assert bank.choice.listing.organization == network.keystone


def test_distance_and_ties_move_the_ranking(cast: Cast, network: Network) -> None:
    # In Dallas, the Dallas inspector wins on distance even though Acme fits the words better.
    near_dallas = bundles.propose("pool septic inspection", [network.inspection], place="Dallas")
    choice = near_dallas.proposals[0].choice
    assert choice is not None
    assert choice.listing.organization == network.lonestar
    # A bad experience with a provider counts against it.
    before = bundles.rank(network.inspection, "inspection", None, cast.alice)
    referral = _refer(cast, network)
    check_answer_referral(cast.pat, referral, accept=True)
    check_record_outcome(cast.alice, referral, completed=True)
    check_rate_referral(cast.alice, referral, stars=1, words="Awful")
    ties.refresh(ties.pairs_of(RelationshipEvent.objects.get(kind="badmouth")))
    after = bundles.rank(network.inspection, "inspection", None, cast.alice)
    acme_before = next(c for c in before if c.listing.organization == network.acme)
    acme_after = next(c for c in after if c.listing.organization == network.acme)
    assert acme_after.parts["relationships"] < acme_before.parts["relationships"]
    assert any("(bad)" in r for r in acme_after.reasons)


def test_referrals_a_day_are_capped(
    cast: Cast, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cluetrain.partners.actions.DAILY_REFERRALS", 2)
    check_refer(cast.sam, customer=cast.bob, provider=network.acme, need="Roof")
    check_refer(cast.sam, customer=cast.alice, provider=network.acme, need="Roof")
    with pytest.raises(ActionError, match="enough referrals for today") as capped:
        check_refer(cast.sam, customer=cast.bob, provider=network.keystone, need="Loan")
    assert capped.value.status == 429
    assert Referral.objects.count() == 2
