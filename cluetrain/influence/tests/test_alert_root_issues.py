"""An alert lists the root issues of its own conversation's product, never another's."""

import re

from django.urls import reverse

from cluetrain.influence.demo import plant_complaint_cascade
from cluetrain.influence.tests.helpers import client_for, customers
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import roll_up
from cluetrain.listening.tests.helpers import complain
from cluetrain.organizations.models import Product
from conftest import Cast, Places

THERMOSTAT = [
    "My Lumen Thermostat is dead since the update. Furious, it is useless now.",
    "Lumen Thermostat bricked after the update, so annoying! Worst update ever.",
    "The Lumen Thermostat died after the firmware update. Terrible, fix it.",
    "After the update my Lumen Thermostat is dead, nothing works. Awful.",
]


def test_the_alert_about_the_hub_lists_no_thermostat_issue(cast: Cast, places: Places) -> None:
    forget_readers()
    Product.objects.create(
        organization=places.company, name="Lumen Thermostat", slug="lumen-thermostat"
    )
    complain(cast, places, THERMOSTAT, days_ago=2)
    enrich_pending()
    roll_up()
    customers(7)
    hub_thread, alert = plant_complaint_cascade()  # about the first product: the Lumen Hub
    assert "Lumen Hub" in hub_thread.title
    assert alert is not None
    page = client_for("sam").get(reverse("alert", args=[alert.pk])).content.decode()
    line = re.search(r"Root issue:(.*?)</p>", page, re.S)
    assert line is not None
    assert "Lumen Thermostat" not in line.group(1)
    assert "Lumen Hub" in line.group(1)
