"""Order routing end to end: the pages, the API, the command, the webhook and the ratings."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.orders.models import Offer, Order, OrderEvent, Resolution, Retailer
from cluetrain.orders.ratings import order_ratings
from cluetrain.orders.resolution import resolve_due
from cluetrain.orders.tests.factories import manufacturer_listing, retailer
from cluetrain.organizations.models import Organization
from cluetrain.reputation.signals import ratings
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from conftest import Cast, make_member


def _staff_of(shop: Retailer, username: str) -> Member:
    member = make_member(username, Member.Role.PARTNER)
    member.organization = shop.organization
    member.save(update_fields=["organization"])
    return member


def _client(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _api(member: Member) -> ApiClient:
    return ApiClient(do_create_token(member, name="tests", scope="write")[1])


@pytest.fixture
def shops(db: None) -> dict[str, Retailer]:
    listing = manufacturer_listing()
    return {
        "leeds": retailer(listing, "Leeds", serves_km=100),
        "manchester": retailer(listing, "Manchester", serves_km=100),
        "paris": retailer(listing, "Paris, France", serves_km=100),  # too far from Leeds
    }


def test_an_order_from_the_page_to_a_rating(cast: Cast, shops: dict[str, Retailer]) -> None:
    listing = shops["leeds"].listings.get()
    alice = _client(cast.alice)
    # A place nobody can find: refused with the reason, nothing written.
    page = alice.post(
        "/orders/", {"listing": listing.pk, "quantity": 1, "ship_to": "Nowhere Zzyzx"}
    )
    assert page.status_code == 400
    assert "could not find the city" in page.content.decode()
    assert not Order.objects.exists()

    page = alice.post("/orders/", {"listing": listing.pk, "quantity": 2, "ship_to": "Leeds"})
    order = Order.objects.get()
    assert page.status_code == 302
    assert page["Location"] == f"/orders/{order.pk}/"
    # Offered to the retailers that carry the product within reach, not to Paris.
    offered = set(Offer.objects.filter(order=order).values_list("retailer", flat=True))
    assert offered == {shops["leeds"].pk, shops["manchester"].pk}

    leeds = _client(_staff_of(shops["leeds"], "lee"))
    manchester = _client(_staff_of(shops["manchester"], "manny"))
    paris = _client(_staff_of(shops["paris"], "pierre"))
    assert "Claim" in leeds.get("/orders/board/").content.decode()
    assert manchester.post(f"/orders/{order.pk}/claim/").status_code == 302
    assert leeds.post(f"/orders/{order.pk}/claim/").status_code == 302
    assert leeds.post(f"/orders/{order.pk}/claim/").status_code == 409  # answered already
    assert paris.post(f"/orders/{order.pk}/claim/").status_code == 404  # not offered to it
    # The order page is not the retailers' while it is open.
    assert leeds.get(f"/orders/{order.pk}/").status_code == 404

    resolve_due(order.closes_at)
    order.refresh_from_db()
    assert order.winner == shops["leeds"]
    assert order.outcome == Order.Outcome.NEAREST
    assert leeds.get(f"/orders/{order.pk}/").status_code == 200
    # Manchester learns only that it did not win.
    assert manchester.get(f"/orders/{order.pk}/").status_code == 404
    board = manchester.get("/orders/board/").content.decode()
    assert "Not won" in board
    assert shops["leeds"].organization.name not in board

    life = alice.get(f"/orders/{order.pk}/").content.decode()
    for step in ("Placed", "Offered to retailers", "Claimed", "Resolved"):
        assert step in life
    assert alice.post(f"/orders/{order.pk}/ship/").status_code == 403  # the winner ships
    assert leeds.post(f"/orders/{order.pk}/ship/").status_code == 302
    assert alice.post(f"/orders/{order.pk}/deliver/").status_code == 302
    assert alice.post(f"/orders/{order.pk}/rate/", {"stars": "9"}).status_code == 400
    assert (
        alice.post(f"/orders/{order.pk}/rate/", {"stars": "5", "comment": "Fast"}).status_code
        == 302
    )
    assert alice.post(f"/orders/{order.pk}/rate/", {"stars": "1"}).status_code == 409
    order.refresh_from_db()
    assert (order.status, order.stars) == (Order.Status.DELIVERED, 5)
    row = (f"m:{cast.alice.pk}", f"o:{shops['leeds'].organization_id}", 1.0)
    assert [r[:3] for r in order_ratings()] == [row]
    assert row in [r[:3] for r in ratings()]  # registered with reputation

    # The history's words are the reader's language's, made from the order itself.
    history = alice.get(f"/orders/{order.pk}/").content.decode()
    assert "to 2 retailers" in history
    assert "the nearest retailer that claimed it" in history
    assert "5/5 Fast" in history
    alice.cookies.load({"django_language": "fr"})
    history = alice.get(f"/orders/{order.pk}/").content.decode()
    assert "à 2 détaillants" in history
    assert "to 2 retailers" not in history
    assert "le détaillant le plus proche" in history


def test_nobody_claims_the_manufacturer_ships(cast: Cast, shops: dict[str, Retailer]) -> None:
    listing = shops["leeds"].listings.get()
    api = _api(cast.alice)
    missing = api.post("/api/orders", {"items": [{"product": "nope"}], "ship_to": "Leeds"})
    assert missing.status_code == 400
    placed = api.post(
        "/api/orders", {"items": [{"product": listing.product.slug}], "ship_to": "Leeds, UK"}
    )
    assert placed.status_code == 201
    order_id = placed.json()["id"]
    assert [step["kind"] for step in placed.json()["life"]] == ["placed", "offered"]
    leeds = _api(_staff_of(shops["leeds"], "lee"))
    assert leeds.post(f"/api/orders/{order_id}/decline").json()["answer"] == "declined"
    assert leeds.post(f"/api/orders/{order_id}/claim").status_code == 409
    call_command("orders", "resolve", stdout=StringIO())  # not due yet: nothing happens
    assert Order.objects.get().status == Order.Status.OPEN
    later = timezone.now() + datetime.timedelta(days=1)
    Order.objects.update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    assert leeds.post(f"/api/orders/{order_id}/claim").status_code == 409  # window closed
    out = StringIO()
    call_command("orders", "resolve", stdout=out)
    assert json.loads(out.getvalue())["to_manufacturer"] == 1
    detail = api.get(f"/api/orders/{order_id}").json()
    assert (detail["outcome"], detail["retailer"]) == ("manufacturer", None)
    assert leeds.get("/api/orders/board").json()["items"][0]["answer"] == "not won"
    assert later > timezone.now()


def test_staff_resolve_by_hand_and_the_webhook_is_sent_once(
    cast: Cast, shops: dict[str, Retailer]
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in", events=[Event.ORDER_RESOLVED], created_at=timezone.now()
    )
    listing = shops["leeds"].listings.get()
    _client(cast.alice).post("/orders/", {"listing": listing.pk, "quantity": 1, "ship_to": "Leeds"})
    Order.objects.update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _client(cast.alice).post("/orders/resolutions/").status_code == 403
    staff = _client(cast.sam)
    assert staff.post("/orders/resolutions/").status_code == 302
    assert staff.post("/orders/resolutions/").status_code == 302  # a second run: nothing to do
    assert list(Resolution.objects.values_list("orders", flat=True).order_by("pk")) == [1, 0]
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.payload["event"] == "order.resolved"
    assert delivery.payload["data"]["order"]["outcome"] == "manufacturer"
    assert "Resolve due orders now" in staff.get("/orders/resolutions/").content.decode()
    assert OrderEvent.objects.filter(kind=OrderEvent.Kind.RESOLVED).count() == 1


def test_only_a_manufacturer_lists_and_bad_input_writes_nothing(cast: Cast) -> None:
    from cluetrain.core.errors import ActionError
    from cluetrain.orders.actions import check_list_product, check_place_order

    listing = manufacturer_listing()
    with pytest.raises(ActionError, match="manufacturer"):
        check_list_product(cast.alice, listing.product, "10")
    with pytest.raises(ActionError, match="number"):
        check_list_product(cast.sam, listing.product, "ten")
    assert check_list_product(cast.sam, listing.product, "12.5").price == 12.5
    other = Organization.objects.create(name="Other", slug="other", kind="vendor")
    for lines, message in [
        ([], "at least one"),
        ([(listing.pk, 0)], "Quantities"),
        ([(listing.pk, 1), (listing.pk, 2)], "once"),
        ([(listing.pk + 999, 1)], "not for sale"),
    ]:
        with pytest.raises(ActionError, match=message):
            check_place_order(cast.alice, lines, "Leeds")
    assert not Order.objects.exists()
    assert other.pk


@pytest.mark.django_db
def test_the_routing_bench_at_tiny_scale() -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "bench", "routing", "--here", "--orders", "60", "--retailers", "12", stdout=out, stderr=err
    )
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    assert sorted(line) == sorted(
        ["orders", "retailers", "seconds", "peak_mib", "loop_seconds", "agree"]
    )
    assert line["orders"] == 60
    assert line["agree"] is True
    assert Order.objects.filter(status=Order.Status.RESOLVED).count() == 60
