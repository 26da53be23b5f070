import re

import pytest
from django.test import Client

from cluetrain.ideas.models import Idea
from cluetrain.jams.actions import jam_state
from cluetrain.jams.demo import FINISHED, LIVE, plant_jams
from cluetrain.jams.models import Highlight, Jam, Theme
from conftest import Cast, make_member

DOMAIN = "demo.example"


@pytest.mark.django_db
def test_the_demo_plants_a_finished_and_a_live_jam_twice_without_duplicates(cast: Cast) -> None:
    for n in range(6):
        member = make_member(f"jammer{n}", "customer")
        member.email = f"jammer{n}@{DOMAIN}"
        member.save()
    plant_jams(DOMAIN)
    line = plant_jams(DOMAIN)  # a second run replaces the first
    finished, live = Jam.objects.get(title=FINISHED), Jam.objects.get(title=LIVE)
    assert f"/jams/{finished.slug}/" in line
    assert (jam_state(finished), jam_state(live)) == ("closed", "live")
    for jam in (finished, live):
        assert Theme.objects.filter(jam=jam, size__gt=0).count() >= 2
        assert Highlight.objects.filter(jam=jam).count() == 2
    assert Idea.objects.filter(thread__space=finished.space, status="done").count() == 1
    report = Client().get(f"/jams/{finished.slug}/").content.decode()
    assert "Ideas taken forward" in report
    assert Theme.objects.filter(jam=finished).order_by("-size")[0].label in report
    named = Theme.objects.filter(jam__in=[finished, live])
    words = " ".join(f"{t.label} {' '.join(t.key_phrases)}" for t in named).lower()
    assert "solar-aware" in words
    assert "solaraware" not in words  # hyphenated words are named as written


@pytest.mark.django_db
def test_the_jam_chart_draws_in_french(cast: Cast) -> None:
    """SVG coordinates are never localized: '40,1' is no coordinate."""
    for n in range(6):
        member = make_member(f"jammer{n}", "customer")
        member.email = f"jammer{n}@{DOMAIN}"
        member.save()
    plant_jams(DOMAIN)
    finished = Jam.objects.get(title=FINISHED)
    client = Client()
    client.cookies["django_language"] = "fr"
    page = client.get(f"/jams/{finished.slug}/").content.decode()
    coordinates = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', page)
    assert coordinates
    assert all("," not in c for c in coordinates), coordinates[:8]
