from datetime import timedelta

import pytest
from django.utils import timezone

from cluetrain.jams.actions import do_create_jam
from cluetrain.jams.models import Jam
from conftest import Cast

TOPICS = {
    "battery": [
        "Longer battery life for the hub",
        "Battery saver mode for sensors",
        "Show the battery level of every sensor",
        "Warn me before the sensor battery runs out",
        "Rechargeable battery packs for door sensors",
    ],
    "lights": [
        "Schedule the lights at sunset",
        "Dim the lights slowly in the morning",
        "Group lights by room for one switch",
        "Turn the lights off when nobody is home",
        "Colour scenes for the living room lights",
    ],
}


@pytest.fixture
def live_jam(cast: Cast) -> Jam:
    now = timezone.now()
    return do_create_jam(
        cast.sam,
        title="Home of the future",
        question="What should the hub do next?",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        hosts=[cast.sam],
        moderators=[cast.maya],
    )
