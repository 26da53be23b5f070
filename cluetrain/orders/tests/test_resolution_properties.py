"""Property-based tests of the daily resolution (hypothesis), on the configured database.

Random worlds of retailers at real cities (several in one city, so distance ties happen),
reputations from a small set (so reputation ties happen) and claims at a few instants (so
claim-time ties happen); then the product's resolution, checked against the rule itself.
"""

import contextlib
import datetime
import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluetrain.orders.models import Offer, Order, OrderEvent, Resolution
from cluetrain.orders.resolution import microseconds, resolve_due
from cluetrain.orders.tests.factories import manufacturer_listing, open_order, retailer
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.orders import event_id
from cluetrain_analytics import routing

CITIES = ["Leeds", "Manchester", "Paris, France", "Lyon", "Austin, TX", "Dallas", "Osaka"]
T0 = datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC)
CUTOFF = T0 + datetime.timedelta(days=1)

World = dict[str, Any]
ClaimsOf = dict[int, list[tuple[int, datetime.datetime]]]
retailer_st = st.tuples(st.sampled_from(CITIES), st.sampled_from([None, 0.0, 0.5, -0.5]))
world_st = st.fixed_dictionaries(
    {
        "retailers": st.lists(retailer_st, min_size=1, max_size=6),
        "orders": st.lists(
            st.tuples(
                st.sampled_from(CITIES),
                # claims: (retailer index, minute of the claim)
                st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=6),
            ),
            min_size=1,
            max_size=7,
        ),
    }
)
PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _build(world: World) -> tuple[list[Order], ClaimsOf]:
    listing = manufacturer_listing()
    shops = [retailer(listing, city, reputation=rep) for city, rep in world["retailers"]]
    orders: list[Order] = []
    claims: ClaimsOf = {}
    for city, wanted in world["orders"]:
        order = open_order(listing, city, None, T0, tuple(shops))
        seen = set()
        for index, minute in wanted:
            shop = shops[index % len(shops)]
            if shop.pk in seen:
                continue
            seen.add(shop.pk)
            at = T0 + datetime.timedelta(minutes=minute)
            Offer.objects.filter(order=order, retailer=shop).update(claimed_at=at)
        orders.append(order)
        rows = Offer.objects.filter(order=order, claimed_at__isnull=False).values_list(
            "retailer_id", "claimed_at"
        )
        claims[order.pk] = [(pk, at) for pk, at in rows if at is not None]
    return orders, claims


def _expected(orders: list[Order], claims: ClaimsOf) -> dict[int, tuple[int, str]]:
    from cluetrain.orders.resolution import retailer_rows

    return routing.resolve_loop(
        [(o.pk, o.latitude, o.longitude) for o in orders],
        retailer_rows(),
        [(o, r, microseconds(at)) for o, rows in claims.items() for r, at in rows],
    )


def _check_the_rule(orders: list[Order], claims: ClaimsOf) -> None:
    """The rule stated directly: nearest band, then reputation, then claim time."""
    from cluetrain.orders.resolution import retailer_rows

    where = {pk: (lat, lon, rep) for pk, lat, lon, rep in retailer_rows()}
    for order in Order.objects.filter(pk__in=[o.pk for o in orders]):
        claimants = dict(claims[order.pk])
        assert order.status == Order.Status.RESOLVED
        if not claimants:
            assert order.winner_id is None
            assert order.outcome == Order.Outcome.MANUFACTURER
            continue
        assert order.winner_id in claimants  # never one that did not claim
        assert order.outcome != Order.Outcome.MANUFACTURER  # someone claimed

        keys = {}
        for pk, at in claimants.items():
            lat, lon, rep = where[pk]
            km = routing.distance_km(order.latitude, order.longitude, lat, lon)
            keys[pk] = (int(km * routing.BANDS_PER_KM), -rep, at, pk)
        assert keys[order.winner_id] == min(keys.values())


def _assert_resolved_once(orders: list[Order], endpoint: WebhookEndpoint) -> None:
    ids = [o.pk for o in orders]
    resolved = Counter(
        OrderEvent.objects.filter(order_id__in=ids, kind=OrderEvent.Kind.RESOLVED).values_list(
            "order_id", flat=True
        )
    )
    assert resolved == Counter(ids)  # exactly once each
    sent = Counter(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event_id", flat=True)
    )
    assert sent == Counter(event_id(pk) for pk in ids)  # each sent once


def _endpoint() -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=[Event.ORDER_RESOLVED],
        created_at=timezone.now(),
    )


@pytest.mark.django_db
@PROPERTY
@given(world=world_st)
def test_every_order_goes_to_the_nearest_claimant_once(world: World) -> None:
    with transaction.atomic():
        endpoint = _endpoint()
        orders, claims = _build(world)
        run = resolve_due(CUTOFF)
        _check_the_rule(orders, claims)
        got = {o.pk: (o.winner_id or 0, o.outcome) for o in Order.objects.filter(resolution=run)}
        assert got == _expected(orders, claims)
        assert run.orders == len(orders)
        assert run.to_manufacturer == sum(1 for o in orders if not claims[o.pk])
        _assert_resolved_once(orders, endpoint)
        again = resolve_due(CUTOFF)  # nothing left: nothing changes, nothing is sent
        assert again.orders == 0
        _assert_resolved_once(orders, endpoint)
        transaction.set_rollback(True)


class Crash(Exception):
    pass


@pytest.mark.django_db
@PROPERTY
@given(world=world_st, crash_after=st.integers(1, 4))
def test_a_run_that_crashes_halfway_and_is_rerun_resolves_the_same_and_sends_once(
    world: World, crash_after: int
) -> None:
    with transaction.atomic():
        endpoint = _endpoint()
        orders, claims = _build(world)

        def crash(batch: int) -> None:
            if batch == crash_after:
                raise Crash

        with contextlib.suppress(Crash):
            resolve_due(CUTOFF, batch=2, after_batch=crash)
        resolve_due(CUTOFF, batch=2)
        _check_the_rule(orders, claims)
        got = {o.pk: (o.winner_id or 0, o.outcome) for o in Order.objects.filter(pk__in=claims)}
        assert got == _expected(orders, claims)
        _assert_resolved_once(orders, endpoint)
        assert resolve_due(CUTOFF).orders == 0
        _assert_resolved_once(orders, endpoint)
        transaction.set_rollback(True)


def test_the_set_based_choice_and_the_loop_agree() -> None:
    """The numpy resolution and the plain loop, on random rows without a database."""

    @PROPERTY
    @given(
        st.lists(st.tuples(st.floats(-60, 60), st.floats(-170, 170)), min_size=1, max_size=5),
        st.lists(st.tuples(st.integers(0, 9), st.integers(0, 4), st.integers(0, 2)), max_size=30),
        st.lists(st.sampled_from([0.0, 0.25, -1.0]), min_size=5, max_size=5),
    )
    def agree(
        places: list[tuple[float, float]],
        claims: list[tuple[int, int, int]],
        reputations: list[float],
    ) -> None:
        order_rows = [(10 + i, lat, lon) for i, (lat, lon) in enumerate(places)]
        # retailers 0-4, two of them sharing a place
        spots = [places[0], places[-1], places[0], (51.5, -0.1), (48.9, 2.3)]
        retailer_rows = [(100 + i, lat, lon, reputations[i]) for i, (lat, lon) in enumerate(spots)]
        unique = {(10 + o % len(places), 100 + r): t for o, r, t in claims}
        claim_rows = [(o, r, t) for (o, r), t in unique.items()]
        vectorised = routing.resolve(
            routing.Orders.from_rows(order_rows),
            routing.Retailers.from_rows(retailer_rows),
            routing.Claims.from_rows(claim_rows),
        )
        assert vectorised.as_dict() == routing.resolve_loop(order_rows, retailer_rows, claim_rows)

    agree()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections writing at once: PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_retailers_claiming_at_the_same_instant_both_count_and_one_wins() -> None:
    from cluetrain.members.models import Member
    from cluetrain.orders.actions import check_claim

    listing = manufacturer_listing()
    shops = [retailer(listing, "Leeds", reputation=0.0) for _ in range(2)]
    staff = []
    for shop in shops:
        member = Member.objects.create_user(
            username=f"staff{shop.pk}", password="x", organization=shop.organization
        )
        staff.append(member)
    now = timezone.now()
    order = open_order(listing, "Leeds", None, now, tuple(shops))
    instant = now + datetime.timedelta(minutes=5)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def claim(member: Member) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                check_claim(member, order.pk, now=instant)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(member,)) for member in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    claimed = list(Offer.objects.filter(order=order).values_list("claimed_at", flat=True))
    assert claimed == [instant, instant]  # both recorded
    run = resolve_due(order.closes_at)
    order.refresh_from_db()
    assert run.orders == 1
    assert order.winner_id == min(shop.pk for shop in shops)  # all else equal: the lower id
    assert order.outcome == Order.Outcome.CLAIM_TIME
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.RESOLVED).count() == 1
    assert Resolution.objects.count() == 1
