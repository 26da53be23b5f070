"""Personal requests, a request's messages and the vendor's requests and offers page through
every row in the API (they answered one array: all of it, or the best 200 for the inbox)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tests.paging import assert_cursor_refused, read_all_pages
from cluetrain.api.tokens import do_create_token
from cluetrain.intents.models import Intent, IntentMessage, Match, Offer
from cluetrain.intents.tests.world import Market, make_market, post_and_match
from cluetrain.members.models import Member
from conftest import Cast

MANY = 205  # more than the vendor inbox's 200


@pytest.fixture
def market(cast: Cast) -> Market:
    return make_market()


def _api(member: Member) -> ApiClient:
    return ApiClient(do_create_token(member, name="tests", scope="read")[1])


def _requests(model: Intent, count: int, hours_ago: int = 0) -> list[Intent]:
    """Copies of `model`, one a minute before it (the daily cap is for people, not tables)."""
    fields = model_to_dict(model, exclude=["id", "customer", "created_at", "updated_at"])
    return Intent.objects.bulk_create(
        Intent(
            **fields,
            customer_id=model.customer_id,
            created_at=model.created_at - timedelta(hours=hours_ago, minutes=n + 1),
            updated_at=model.created_at,
        )
        for n in range(count)
    )


def test_my_requests_page_newest_first(cast: Cast, market: Market) -> None:
    first = post_and_match(cast.alice)
    older = _requests(first, MANY)
    api = _api(cast.alice)

    def request_posted_meanwhile() -> None:  # newest of all: ahead of the first page
        _requests(first, 1, hours_ago=-2)

    seen = [i["id"] for i in read_all_pages(api, "/api/requests", 50, request_posted_meanwhile)]
    assert seen == [first.pk, *[i.pk for i in older]]


def test_the_vendor_pages_its_inbox_best_first_and_its_offers(cast: Cast, market: Market) -> None:
    first = post_and_match(cast.alice)
    rentals = market.rita.organization
    assert rentals is not None
    now = timezone.now()
    copies = _requests(first, MANY)
    Match.objects.bulk_create(
        Match(intent=i, organization=rentals, score=(n % 10) / 10, created_at=now)
        for n, i in enumerate(copies)
    )
    expected = list(
        Match.objects.filter(organization=rentals).order_by("-score", "-created_at", "-pk")
    )
    rita = _api(market.rita)

    def better_request_meanwhile() -> None:  # the best fit of all: ahead of the first page
        (late,) = _requests(first, 1)
        Match.objects.create(intent=late, organization=rentals, score=5.0, created_at=now)

    inbox = read_all_pages(rita, "/api/vendor/requests", 100, better_request_meanwhile)
    assert [i["id"] for i in inbox] == [m.intent_id for m in expected]
    assert len(inbox) == MANY + 1  # past the 200 the inbox stopped at
    assert "customer_name" not in inbox[0]

    Offer.objects.bulk_create(
        Offer(
            intent=i,
            organization=rentals,
            author=market.rita,
            price=Decimal("100"),
            expires_at=now + timedelta(days=3),
            created_at=now - timedelta(minutes=n),
        )
        for n, i in enumerate(copies)
    )
    offers = read_all_pages(rita, "/api/vendor/offers", 100)
    assert [o["request_id"] for o in offers] == [i.pk for i in copies]


def test_a_thread_pages_oldest_first_for_the_vendor_named(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    rentals, rides = market.rita.organization, market.carl.organization
    assert rentals is not None
    assert rides is not None
    start = timezone.now()
    made = IntentMessage.objects.bulk_create(
        IntentMessage(
            intent=intent,
            organization=rentals if n % 2 == 0 else rides,
            from_customer=True,
            body=f"Message {n}",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(2 * 110)
    )
    path = f"/api/requests/{intent.pk}/messages"
    # The filter holds on every page: only the thread with the vendor named.
    thread = read_all_pages(_api(cast.alice), path, 25, vendor=rides.slug)
    assert [m["body"] for m in thread] == [m.body for m in made if m.organization_id == rides.pk]
    assert {m["vendor"]["slug"] for m in thread} == {rides.slug}


def test_a_cursor_from_another_list_is_refused(cast: Cast, market: Market) -> None:
    first = post_and_match(cast.alice)
    _requests(first, 2)
    mine = _api(cast.alice).get("/api/requests", limit=1).json()["next"]
    assert mine
    # The vendor's offers are also newest first: only the list's name tells them apart.
    assert_cursor_refused(_api(market.rita), "/api/vendor/offers", mine)
    assert_cursor_refused(_api(market.rita), "/api/vendor/requests", mine)
    path = f"/api/requests/{first.pk}/messages"
    assert_cursor_refused(_api(cast.alice), path, mine, vendor="beacon-rentals")
