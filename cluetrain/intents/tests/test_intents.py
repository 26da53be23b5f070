"""Personal requests: matching and the daily cap, anonymity, withdrawal, offers, acceptance,
two-sided ratings, the pages, the API, webhooks and members' data."""

import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.core.errors import ActionError
from cluetrain.core.sentences import stored_in_words
from cluetrain.exports.ownership import do_delete_account
from cluetrain.exports.ownership import member_data as download
from cluetrain.intents import actions
from cluetrain.intents.matching import candidates, do_match, sent_today
from cluetrain.intents.models import Deal, DealRating, Intent, Match, Offer
from cluetrain.intents.ratings import deal_ratings
from cluetrain.intents.tests.world import Market, car_request, make_market, offer, post_and_match
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from cluetrain_analytics.places import distance_km, geocode
from conftest import PASSWORD, Cast

OnCommit = Callable[..., Any]


@pytest.fixture
def market(cast: Cast) -> Market:
    return make_market()


def api(member: Member) -> ApiClient:
    _, raw = do_create_token(member, name="tests", scope="write")
    return ApiClient(raw)


def signed_in(member: Member) -> Client:
    client = Client()
    assert client.login(username=member.username, password=PASSWORD)
    return client


# --- Places ---------------------------------------------------------------------------------


def test_places_are_geocoded_offline_and_distances_are_great_circle() -> None:
    boston, sf = geocode("Boston, MA"), geocode("San Francisco")
    assert boston is not None
    assert sf is not None
    assert boston.name == "Boston, Massachusetts, United States"
    uk = geocode("Boston, United Kingdom")
    assert uk is not None
    assert uk.country == "GB"
    assert geocode("Nowhereville") is None
    # Two-letter codes that are both a country and a US state mean either.
    hamburg, dover = geocode("Hamburg, DE"), geocode("Dover, DE")
    assert hamburg is not None
    assert hamburg.country == "DE"
    assert dover is not None
    assert dover.region == "DE"
    toronto = geocode("Toronto, ON")  # a code we do not know: the largest of that name
    assert toronto is not None
    assert toronto.country == "CA"
    km = distance_km(boston.latitude, boston.longitude, sf.latitude, sf.longitude)
    assert 4300 < km < 4400  # about 4,340 km


# --- Matching -------------------------------------------------------------------------------


def test_a_request_reaches_the_vendors_that_fit_it_ranked(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    matched = dict(Match.objects.filter(intent=intent).values_list("organization__slug", "score"))
    # Car rental near Boston: not the plumbers (other trade), not San Francisco (too far).
    assert set(matched) == {"beacon-rentals", "charles-rides"}
    # Beacon's description reads more like the request ("rent a car", "no upsell").
    assert matched["beacon-rentals"] > matched["charles-rides"]
    match = Match.objects.get(intent=intent, organization=market.rentals)
    assert "offers car rental" in [stored_in_words(reason) for reason in match.reasons]
    assert match.distance_km is not None
    assert match.distance_km < 5


def test_words_alone_can_make_a_fit(cast: Cast, market: Market) -> None:
    data = car_request(category="boilers", title="My boiler and a leaking tap", description="")
    found = [c.slug for c in candidates(Intent(**_intent_fields(cast, data)))]
    assert found == ["back-bay-plumbing"]


def _intent_fields(cast: Cast, data: actions.IntentData) -> dict[str, Any]:
    boston = geocode("Boston")
    assert boston is not None
    return {
        "customer": cast.alice,
        "title": data.title,
        "category": data.category,
        "description": data.description,
        "latitude": boston.latitude,
        "longitude": boston.longitude,
        "must_haves": [],
    }


def test_no_vendor_gets_more_than_the_daily_cap(
    cast: Cast, market: Market, settings: Settings
) -> None:
    settings.INTENTS_DAILY_CAP = 2
    intents = [post_and_match(cast.alice) for _ in range(3)]
    assert Match.objects.filter(organization=market.rentals).count() == 2
    assert sent_today(market.rentals.pk) == 2
    # Running the matching again (a retried task) sends nothing more and counts nothing more.
    for intent in intents:
        assert do_match(intent) == []
    assert Match.objects.filter(organization=market.rentals).count() == 2
    assert sent_today(market.rentals.pk) == 2


# --- Anonymity ------------------------------------------------------------------------------


def test_vendors_see_a_pseudonym_and_only_what_is_disclosed(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)  # discloses place and dates, not the budget
    page = signed_in(market.rita).get(reverse("intent", args=[intent.pk])).content.decode()
    inbox = signed_in(market.rita).get(reverse("vendor_inbox")).content.decode()
    data = api(market.rita).get(f"/api/requests/{intent.pk}").json()
    listed = api(market.rita).get("/api/vendor/requests").json()["items"]
    for text in (page, inbox, json.dumps(data), json.dumps(listed)):
        assert "alice" not in text.lower()
        assert "Archer" not in text
        assert "250" not in text  # the budget's top, not disclosed
        assert "automatic gearbox" not in text  # must-haves, not disclosed
        assert intent.pseudonym in text
        assert "Boston" in text  # the place, disclosed
    assert data["customer"] is None
    assert data["budget_max"] is None
    assert data["starts_on"] == str(intent.starts_on)
    # The same customer has the same pseudonym on every request; another customer another.
    assert post_and_match(cast.alice).pseudonym == intent.pseudonym
    assert post_and_match(cast.bob).pseudonym != intent.pseudonym


def test_identity_is_revealed_only_to_the_vendor_whose_offer_is_accepted(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    winner, loser = offer(market.rita, intent), offer(market.carl, intent, "150")
    actions.check_accept_offer(cast.alice, winner)
    won = api(market.rita).get(f"/api/requests/{intent.pk}").json()
    assert won["customer"]["username"] == "alice"
    assert "Alice Archer" in signed_in(market.rita).get(f"/requests/{intent.pk}/").content.decode()
    lost = api(market.carl).get(f"/api/requests/{intent.pk}").json()
    assert lost["customer"] is None
    page = signed_in(market.carl).get(f"/requests/{intent.pk}/").content.decode()
    assert "Alice" not in page
    assert "alice" not in page
    assert Offer.objects.get(pk=loser.pk).status == Offer.Status.NOT_CHOSEN


def test_a_request_not_sent_to_a_vendor_is_not_found_for_it(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    assert api(market.paul).get(f"/api/requests/{intent.pk}").status_code == 404
    assert signed_in(market.fay).get(f"/requests/{intent.pk}/").status_code == 404
    assert api(cast.bob).get(f"/api/requests/{intent.pk}").status_code == 404
    with pytest.raises(ActionError):
        offer(market.paul, intent)


# --- Withdraw, pause, delete ----------------------------------------------------------------


def test_withdrawing_hides_the_request_from_every_vendor_at_once(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    made = offer(market.rita, intent)
    assert [i["id"] for i in api(market.carl).get("/api/vendor/requests").json()["items"]] == [
        intent.pk
    ]
    response = signed_in(cast.alice).post(
        reverse("intent_status", args=[intent.pk]), {"action": "withdraw"}
    )
    assert response.status_code == 302
    for vendor in (market.rita, market.carl):
        assert api(vendor).get("/api/vendor/requests").json()["items"] == []
        assert api(vendor).get(f"/api/requests/{intent.pk}").status_code == 404
        assert signed_in(vendor).get(f"/requests/{intent.pk}/").status_code == 404
        assert intent.title not in signed_in(vendor).get(reverse("vendor_inbox")).content.decode()
    assert api(market.rita).get("/api/vendor/offers").json()["items"] == []
    assert api(market.rita).post(f"/api/vendor/offers/{made.pk}/withdraw").status_code == 404
    # Withdrawn is final: it cannot be resumed, and the customer still sees it.
    resume = api(cast.alice).post(f"/api/requests/{intent.pk}/status", {"action": "resume"})
    assert resume.status_code == 409
    assert api(cast.alice).get(f"/api/requests/{intent.pk}").json()["status"] == "withdrawn"


def test_a_paused_request_takes_no_offers_and_leaves_the_inbox(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    actions.check_set_status(cast.alice, intent, "pause")
    assert api(market.rita).get("/api/vendor/requests").json()["items"] == []
    with pytest.raises(ActionError) as refused:
        offer(market.rita, intent)
    assert refused.value.status == 409
    actions.check_set_status(cast.alice, intent, "resume")
    assert len(api(market.rita).get("/api/vendor/requests").json()["items"]) == 1


def test_deleting_a_request_removes_it_and_its_offers(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    offer(market.rita, intent)
    assert api(cast.alice).delete(f"/api/requests/{intent.pk}").status_code == 204
    assert not Intent.objects.filter(pk=intent.pk).exists()
    assert not Offer.objects.exists()
    assert not Match.objects.exists()
    assert api(market.rita).get(f"/api/requests/{intent.pk}").status_code == 404


def test_editing_changes_what_vendors_see_and_only_the_customer_may(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    body = {"title": "A rental van", "category": "car rental", "disclose": ["budget"]}
    assert api(market.rita).patch(f"/api/requests/{intent.pk}", body).status_code == 404
    response = api(cast.alice).patch(f"/api/requests/{intent.pk}", body)
    assert response.status_code == 200
    seen = api(market.rita).get(f"/api/requests/{intent.pk}").json()
    assert seen["title"] == "A rental van"
    assert seen["place"] is None  # no longer disclosed
    assert Decimal(seen["budget_max"]) == Decimal("250")  # kept, and now disclosed


def test_a_patch_changes_only_the_fields_it_sends(cast: Cast, market: Market) -> None:
    # It replaced the whole request: the fields left out went back to their defaults
    # (no budget, place, dates or must-haves, nothing disclosed, open 14 days).
    intent = post_and_match(cast.alice, car_request(open_days=30))
    before = api(cast.alice).get(f"/api/requests/{intent.pk}").json()
    response = api(cast.alice).patch(f"/api/requests/{intent.pk}", {"title": "A rental van"})
    assert response.status_code == 200
    after = api(cast.alice).get(f"/api/requests/{intent.pk}").json()
    assert after == before | {"title": "A rental van"}
    cleared = api(cast.alice).patch(f"/api/requests/{intent.pk}", {"budget_min": None})
    assert cleared.json()["budget_min"] is None  # null, sent, clears
    assert cleared.json()["budget_max"] == before["budget_max"]
    assert api(cast.alice).patch(f"/api/requests/{intent.pk}", {"title": None}).status_code == 400


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"place": "Nowhereville"}, "place"),
        ({"title": "x"}, "title"),
        ({"budget_min": "300", "budget_max": "100"}, "budget_max"),
        ({"disclose": ["identity"]}, "disclose"),
        ({"open_days": 365}, "open_days"),
        ({"starts_on": "2020-01-01"}, "starts_on"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(
    cast: Cast, market: Market, changes: dict[str, Any], field: str
) -> None:
    body = {"title": "A rental car", "category": "car rental", "place": "Boston"} | changes
    response = api(cast.alice).post("/api/requests", body)
    assert response.status_code == 400
    assert field in json.dumps(response.json())
    assert not Intent.objects.exists()


def test_the_new_request_page_refuses_an_unknown_place(cast: Cast, market: Market) -> None:
    form = {"title": "A car", "category": "car rental", "place": "Nowhereville"}
    response = signed_in(cast.alice).post(
        reverse("new_request"), form | {"currency": "USD", "open_days": "7"}
    )
    assert response.status_code == 400
    assert "could not find that place" in response.content.decode()
    assert not Intent.objects.exists()


# --- Offers, threads and acceptance ---------------------------------------------------------


def test_the_customer_compares_offers_and_accepting_closes_the_request_politely(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    intent = post_and_match(cast.alice)
    beacon, charles = offer(market.rita, intent, "180"), offer(market.carl, intent, "150")
    compared = api(cast.alice).get(f"/api/requests/{intent.pk}/offers").json()
    assert [o["vendor"]["slug"] for o in compared] == ["charles-rides", "beacon-rentals"]
    assert compared[1]["distance_km"] < 5
    assert compared[0]["history"]["past_deals"] == 0
    # A vendor sees only its own offer.
    mine = api(market.carl).get(f"/api/requests/{intent.pk}/offers").json()
    assert [o["id"] for o in mine] == [charles.pk]
    # A question in the private thread with Beacon; Charles does not see it.
    api(cast.alice).post(
        f"/api/requests/{intent.pk}/messages", {"body": "Child seat?", "vendor": "beacon-rentals"}
    )
    api(market.rita).post(f"/api/requests/{intent.pk}/messages", {"body": "Yes, free."})
    thread = api(cast.alice).get(f"/api/requests/{intent.pk}/messages?vendor=beacon-rentals")
    assert [(m["sender"], m["body"]) for m in thread.json()["items"]] == [
        ("customer", "Child seat?"),
        ("vendor", "Yes, free."),
    ]
    assert api(market.carl).get(f"/api/requests/{intent.pk}/messages").json()["items"] == []
    page = signed_in(cast.alice).get(f"/requests/{intent.pk}/").content.decode()
    assert "Charles Rides" in page
    assert "150" in page
    assert "Child seat?" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.alice).post(
            reverse("accept_offer", args=[intent.pk]), {"offer": beacon.pk}
        )
    assert response.status_code == 302
    intent.refresh_from_db()
    assert intent.status == Intent.Status.CLOSED
    assert Offer.objects.get(pk=charles.pk).status == Offer.Status.NOT_CHOSEN
    notice = Notification.objects.get(recipient=market.carl, dedupe_key__contains=":closed:")
    assert "Thank you for your offer" in notice.text
    assert notice.actor is None
    assert notice.kind == Notification.Kind.REQUEST
    accepted = Notification.objects.get(recipient=market.rita, dedupe_key__contains=":accepted")
    assert "accepted your offer" in accepted.text
    assert accepted.kind == Notification.Kind.REQUEST
    # Closed for the others: no second acceptance, no new offers.
    again = api(cast.alice).post(f"/api/requests/{intent.pk}/offers/{charles.pk}/accept")
    assert again.status_code == 409
    assert Deal.objects.count() == 1
    deal = Deal.objects.get()
    assert (deal.organization, deal.price, deal.customer) == (
        market.rentals,
        beacon.price,
        cast.alice,
    )
    kinds = set(
        RelationshipEvent.objects.filter(origin=f"intent-deal:{deal.pk}").values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"request", "payment", "respond"}


def test_a_second_deal_with_the_same_vendor_is_repeat_patronage(cast: Cast, market: Market) -> None:
    for _ in range(2):
        intent = post_and_match(cast.alice)
        deal = actions.check_accept_offer(cast.alice, offer(market.rita, intent))
    assert RelationshipEvent.objects.filter(
        origin=f"intent-deal:{deal.pk}", kind="repeat_patronage", target_organization=market.rentals
    ).exists()


def test_offers_are_validated(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    client = api(market.rita)
    url = f"/api/requests/{intent.pk}/offers"
    soon = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.post(url, {"price": "-5", "expires_at": soon}).status_code == 400
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert client.post(url, {"price": "100", "expires_at": past}).status_code == 400
    assert client.post(url, {"price": "100", "expires_at": soon}).status_code == 201
    assert client.post(url, {"price": "90", "expires_at": soon}).status_code == 409
    assert Offer.objects.count() == 1
    # The customer cannot answer their own request.
    assert api(cast.alice).post(url, {"price": "1", "expires_at": soon}).status_code == 403


def test_an_expired_offer_cannot_be_accepted(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    made = offer(market.rita, intent)
    Offer.objects.filter(pk=made.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = api(cast.alice).post(f"/api/requests/{intent.pk}/offers/{made.pk}/accept")
    assert response.status_code == 409
    assert Intent.objects.get(pk=intent.pk).status == Intent.Status.OPEN


# --- Ratings --------------------------------------------------------------------------------


def test_both_sides_rate_once_and_only_after_acceptance(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    intent = post_and_match(cast.alice)
    made = offer(market.rita, intent)
    url = f"/api/requests/{intent.pk}/rating"
    early = api(cast.alice).post(url, {"stars": 5})
    assert early.status_code == 409
    assert "after an offer is accepted" in early.json()["error"]["message"]
    actions.check_accept_offer(cast.alice, made)
    assert api(cast.alice).post(url, {"stars": 6}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        first = api(cast.alice).post(url, {"stars": 5, "words": "Smooth pickup."})
    assert first.status_code == 201
    assert first.json()["side"] == "customer"
    assert api(cast.alice).post(url, {"stars": 1}).status_code == 409
    vendor = signed_in(market.rita).post(reverse("rate_deal", args=[intent.pk]), {"stars": "2"})
    assert vendor.status_code == 302
    assert api(market.rita).post(url, {"stars": 4}).status_code == 409
    # Nobody else rates: a losing vendor is not a side, an outsider does not see the request.
    assert api(market.carl).post(url, {"stars": 1}).status_code == 403
    assert api(cast.bob).post(url, {"stars": 1}).status_code == 404
    assert DealRating.objects.count() == 2
    shown = signed_in(market.rita).get(f"/requests/{intent.pk}/").content.decode()
    assert "rated 5/5: “Smooth pickup.”" in shown
    assert "rated 2/5" in shown
    rows = sorted(deal_ratings())
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (f"m:{cast.alice.pk}", f"o:{market.rentals.pk}", 1.0),
        (f"m:{market.rita.pk}", f"m:{cast.alice.pk}", -0.5),
    ]
    # Ratings also speak as relationships: a recommendation, a rebuff.
    assert RelationshipEvent.objects.filter(
        kind="recommend", actor_member=cast.alice, target_organization=market.rentals
    ).exists()
    assert RelationshipEvent.objects.filter(
        kind="rebuff", actor_member=market.rita, target_member=cast.alice
    ).exists()
    # The reputation recomputation ran after the rating and counts it.
    from cluetrain.reputation.models import Reputation

    assert Reputation.objects.filter(organization=market.rentals).exists()


# --- Pages and permissions ------------------------------------------------------------------


def test_the_whole_flow_in_pages(cast: Cast, market: Market, settings: Settings) -> None:
    alice = signed_in(cast.alice)
    assert alice.get(reverse("new_request")).status_code == 200
    form = {
        "title": "Rental car next week",
        "category": "car rental",
        "description": "Small car, no upsell.",
        "place": "Boston, MA",
        "currency": "USD",
        "open_days": "7",
        "disclose": ["place"],
    }
    response = alice.post(reverse("new_request"), form)  # the task runs after the commit
    assert response.status_code == 302
    intent = Intent.objects.get()
    # Matching runs moments after posting: the page says so rather than "sent to 0 vendors".
    waiting = alice.get(reverse("intent", args=[intent.pk])).content.decode()
    assert "finding the vendors that fit it" in waiting
    assert "sent to 0 vendors" not in waiting
    assert "the place" in waiting  # what is shown to vendors, by its label
    do_match(intent)  # the test's transaction never commits: run what the task runs
    matched = alice.get(reverse("intent", args=[intent.pk])).content.decode()
    assert f"sent to {Match.objects.filter(intent=intent).count()} vendor" in matched
    assert "finding the vendors" not in matched
    rita = signed_in(market.rita)
    assert intent.title in rita.get(reverse("vendor_inbox")).content.decode()
    expires = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    sent = rita.post(
        reverse("make_offer", args=[intent.pk]),
        {"price": "120", "expires_at": expires, "terms": "", "message": "Hi"},
    )
    assert sent.status_code == 302
    made = Offer.objects.get()
    assert "120" in rita.get(reverse("vendor_offers")).content.decode()
    page = alice.get(reverse("intent", args=[intent.pk])).content.decode()
    assert "Beacon Rentals" in page
    assert "Accept" in page
    assert (
        alice.post(reverse("accept_offer", args=[intent.pk]), {"offer": made.pk}).status_code == 302
    )
    assert "Rate the deal" in alice.get(reverse("intent", args=[intent.pk])).content.decode()
    assert alice.get(reverse("my_requests")).status_code == 200


def test_a_bad_offer_shows_the_form_again_with_what_was_typed(cast: Cast, market: Market) -> None:
    """A refused offer is the vendor's page again: the fields as typed, a message beside each
    field named by its label, a 400; and the request's status reads as its label."""
    intent = post_and_match(cast.alice)
    rita = signed_in(market.rita)
    page = rita.get(reverse("intent", args=[intent.pk])).content.decode()
    assert '<span class="badge">Open</span>' in page
    sent = rita.post(
        reverse("make_offer", args=[intent.pk]),
        {"price": "abc", "expires_at": "", "terms": "Full tank", "message": "Kept for you"},
    )
    assert sent.status_code == 400
    page = sent.content.decode()
    assert "Kept for you" in page
    assert "Full tank" in page
    assert 'value="abc"' in page
    assert "Enter a number." in page
    assert "This field is required." in page
    assert "Valid until" in page
    assert "expires_at:" not in page
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = rita.post(
        reverse("make_offer", args=[intent.pk]),
        {"price": "120", "expires_at": past, "terms": "", "message": "Still here"},
    )
    assert refused.status_code == 400
    assert "Still here" in refused.content.decode()
    assert not Offer.objects.exists()
    french = rita.get(reverse("intent", args=[intent.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<span class="badge">Ouverte</span>' in french.content.decode()


def test_vendor_pages_are_for_vendors_and_customer_actions_for_the_customer(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    bob = signed_in(cast.bob)
    assert bob.get(reverse("vendor_inbox")).status_code == 403
    assert bob.get(reverse("vendor_offers")).status_code == 403
    assert api(cast.bob).get("/api/vendor/requests").status_code == 403
    for name in ("intent_status", "delete_request", "accept_offer"):
        assert bob.post(reverse(name, args=[intent.pk]), {"action": "withdraw"}).status_code == 404
    rita = signed_in(market.rita)
    assert (
        rita.post(reverse("intent_status", args=[intent.pk]), {"action": "pause"}).status_code
        == 404
    )
    assert rita.get(reverse("edit_request", args=[intent.pk])).status_code == 404
    assert Intent.objects.get(pk=intent.pk).status == Intent.Status.OPEN
    assert Client().get(reverse("my_requests")).status_code == 302


# --- Webhooks -------------------------------------------------------------------------------


def test_webhooks_carry_request_posted_and_offer_made_without_the_customer(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=["request.posted", "offer.made"],
        created_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        intent = actions.check_post_intent(cast.alice, car_request())
    do_match(intent)
    with django_capture_on_commit_callbacks(execute=True):
        offer(market.rita, intent)
    by_event = {d.event: d.payload for d in WebhookDelivery.objects.all()}
    posted = by_event["request.posted"]["data"]["request"]
    assert posted["pseudonym"] == intent.pseudonym
    # A category is its slug, the words beside it, as the referrals' and the API's.
    assert (posted["category"], posted["category_name"]) == ("car-rental", "car rental")
    assert "alice" not in json.dumps(by_event).lower()
    made = by_event["offer.made"]["data"]["offer"]
    assert made["vendor"]["slug"] == "beacon-rentals"
    assert Decimal(made["price"]) == 180


# --- Members' data --------------------------------------------------------------------------


def test_a_requests_category_is_its_slug_with_the_words_beside(cast: Cast, market: Market) -> None:
    # It was the words as typed ("car rental") where a referral's was a slug ("inspection").
    intent = post_and_match(cast.alice)
    own = api(cast.alice).get(f"/api/requests/{intent.pk}").json()
    seen = api(market.rita).get(f"/api/requests/{intent.pk}").json()
    listed = api(market.rita).get("/api/vendor/requests").json()["items"]
    mine = api(cast.alice).get("/api/requests").json()["items"]
    for answer in (own, seen, listed[0], mine[0]):
        assert (answer["category"], answer["category_name"]) == ("car-rental", "car rental")


def test_an_unknown_vendor_in_the_messages_filter_is_named(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    answer = api(cast.alice).get(f"/api/requests/{intent.pk}/messages?vendor=nope")
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "vendor"
    assert answer.json()["error"]["message"] == "No vendor “nope”."
    unnamed = api(cast.alice).get(f"/api/requests/{intent.pk}/messages")
    assert unnamed.json()["error"]["message"] == "Name the vendor (its slug)."


def test_requests_are_in_the_download_and_go_with_the_account(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    made = offer(market.rita, intent)
    actions.check_accept_offer(cast.alice, made)
    actions.check_rate_deal(cast.alice, intent, stars=4, words="Good")
    post_and_match(cast.alice, car_request(title="Another car"))
    data = download(cast.alice)["personal_requests"]
    assert [r["title"] for r in data["requests"]] == ["A rental car next Tuesday", "Another car"]
    assert data["offers_received"][0]["organization__name"] == "Beacon Rentals"
    assert data["deal_ratings"][0]["words"] == "Good"
    do_delete_account(cast.alice, posts="remove")
    assert not Intent.objects.exists()
    assert not Offer.objects.exists()
    assert not DealRating.objects.exists()
    deal = Deal.objects.get()  # the vendor keeps the deal, without the customer
    assert deal.customer is None
    assert deal.intent is None
    assert deal.organization == market.rentals
    assert (deal.category, deal.price) == ("car rental", Decimal("180.00"))
    kept = signed_in(market.rita).get(reverse("vendor_offers")).content.decode()
    assert "car rental" in kept
    assert "deleted" in kept


# --- Demo -----------------------------------------------------------------------------------


def test_the_demo_has_open_requests_with_competing_offers_and_a_deal_rated_both_ways(
    db: None,
) -> None:
    from cluetrain.demo.generate import DEMO_EMAIL_DOMAIN, generate
    from cluetrain.intents.demo import plant_requests

    # 300 members: every partner organization has staff to answer (as in the default demo).
    generate(seed=1, members=300, posts=200, progress=False)
    line = plant_requests(DEMO_EMAIL_DOMAIN)
    assert "1 deal rated both ways" in line
    open_ = Intent.objects.filter(status=Intent.Status.OPEN)
    assert open_.filter(customer__username="customer").count() == 2
    assert max(i.offers.count() for i in open_) >= 2
    deal = Deal.objects.get()
    assert sorted(deal.ratings.values_list("side", flat=True)) == ["customer", "vendor"]


# --- Races (real commits, two connections) --------------------------------------------------


def _racing(workers: list[Callable[[], str]]) -> list[str]:
    """Run each worker in its own thread and connection, all at once; their outcomes."""
    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(work: Callable[[], str]) -> None:
        barrier.wait()
        try:
            for _attempt in range(200):
                try:
                    outcome = work()
                except ActionError as error:
                    outcome = str(error.status)
                except OperationalError as error:
                    # The in-memory SQLite test database has no busy timeout: a file database
                    # would wait for the other writer, which is what this retry stands for.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
                    continue
                with lock:
                    outcomes.append(outcome)
                break
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_deal(cast: Cast) -> None:
    market = make_market()
    intent = post_and_match(cast.alice)
    offers = [offer(market.rita, intent), offer(market.carl, intent)]

    def accept(chosen: Offer) -> Callable[[], str]:
        def work() -> str:
            fresh = Offer.objects.select_related("intent__customer", "organization").get(
                pk=chosen.pk
            )
            actions.check_accept_offer(cast.alice, fresh)
            return "accepted"

        return work

    assert _racing([accept(o) for o in offers]) == ["409", "accepted"]
    assert Deal.objects.count() == 1
    assert Offer.objects.filter(status=Offer.Status.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_daily_cap_holds_when_requests_are_matched_at_once(
    cast: Cast, settings: Settings
) -> None:
    settings.INTENTS_DAILY_CAP = 3
    market = make_market()
    intents = [
        Intent.objects.create(
            customer=cast.alice,
            pseudonym="Customer X",
            title=f"A rental car {n}",
            category="car rental",
            open_until=timezone.now() + timedelta(days=3),
            created_at=timezone.now(),
            updated_at=timezone.now(),
        )
        for n in range(6)
    ]

    def match(intent: Intent) -> Callable[[], str]:
        return lambda: f"{len(do_match(intent))}"

    _racing([match(i) for i in intents])
    assert Match.objects.filter(organization=market.rentals).count() == 3
    assert sent_today(market.rentals.pk) == 3
