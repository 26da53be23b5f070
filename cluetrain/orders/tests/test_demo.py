import pytest
from django.test import Client

from cluetrain.orders.demo import SLUG_PREFIX, plant_orders
from cluetrain.orders.models import Order
from conftest import Cast, Places, make_member

DOMAIN = "demo.example"


@pytest.mark.django_db
def test_the_demo_resolves_a_day_of_orders_with_every_outcome(cast: Cast, places: Places) -> None:
    for n in range(4):
        member = make_member(f"buyer{n}", "customer")
        member.email = f"buyer{n}@{DOMAIN}"
        member.save()
    plant_orders(DOMAIN, "pw-demo-1")
    line = plant_orders(DOMAIN, "pw-demo-1")  # a second run replaces the first
    assert "/orders/resolutions/" in line
    outcomes = set(Order.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {"nearest", "reputation", "claim_time", "manufacturer"}
    assert Order.objects.filter(status="open").count() == 4
    assert Order.objects.filter(stars__isnull=False).count() == 2
    leeds = Order.objects.get(ship_to__startswith="Leeds", status="delivered")
    assert leeds.winner is not None
    assert leeds.winner.place.startswith("Leeds")
    bradford = Order.objects.get(ship_to__startswith="Bradford")
    assert bradford.winner is not None
    assert bradford.winner.place.startswith("Leeds")
    client = Client()
    assert client.login(username=f"{SLUG_PREFIX}leeds-staff", password="pw-demo-1")
    board = client.get("/orders/board/").content.decode()
    assert "Claim" in board
    assert "Won" in board
