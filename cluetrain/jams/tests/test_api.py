"""The jam API beyond the permission matrix: what it answers, and what it refuses."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cluetrain.api.tokens import do_create_token
from cluetrain.jams.clustering import do_recluster
from cluetrain.jams.models import Jam
from cluetrain.jams.tests.conftest import TOPICS
from cluetrain.members.models import Member
from conftest import Cast


def _api(who: Member) -> dict[str, str]:
    _, raw = do_create_token(who, name="t", scope="write")
    return {"authorization": f"Bearer {raw}"}


@pytest.mark.django_db
def test_create_post_and_read_the_report(cast: Cast, live_jam: Jam, settings: Settings) -> None:
    settings.POST_RATE_LIMIT_PER_MINUTE = 100
    client = Client()
    made = client.post(
        "/api/jams",
        {
            "title": "API jam",
            "question": "What?",
            "starts_at": "2030-01-01T09:00",  # no zone: the site's time
            "ends_at": "2030-01-02T09:00",
            "hosts": ["sam"],
        },
        content_type="application/json",
        headers=_api(cast.sam),
    )
    assert made.status_code == 201
    assert made.json()["state"] == "upcoming"
    early = client.post(
        f"/api/jams/{made.json()['slug']}/ideas",
        {"title": "Too early", "body_md": "x"},
        content_type="application/json",
        headers=_api(cast.alice),
    )
    assert early.status_code == 403
    assert "has not started yet" in early.content.decode()

    for topic, titles in TOPICS.items():
        for title in titles:
            posted = client.post(
                f"/api/jams/{live_jam.slug}/ideas",
                {"title": title, "body_md": f"{title}. Better {topic}."},
                content_type="application/json",
                headers=_api(cast.bob),
            )
            assert posted.status_code == 201
    do_recluster(live_jam.pk)
    themes = client.get(f"/api/jams/{live_jam.slug}/themes").json()
    assert sum(t["size"] for t in themes) == 10
    assert all(t["label"] and t["key_phrases"] for t in themes)
    report = client.get(f"/api/jams/{live_jam.slug}/report").json()
    assert report["posts"] == 10
    assert report["state"] == "live"
    assert sum(p["posts"] for p in report["participation"]) == 10
    assert report["top_contributors"][0]["member"]["username"] == "bob"


@pytest.mark.django_db
def test_bad_jams_are_refused_and_nothing_is_written(cast: Cast) -> None:
    now = timezone.now()
    body = {
        "title": "Backwards",
        "question": "?",
        "starts_at": (now + timedelta(days=1)).isoformat(),
        "ends_at": now.isoformat(),
        "hosts": ["sam"],
    }
    client = Client()
    backwards = client.post(
        "/api/jams", body, content_type="application/json", headers=_api(cast.sam)
    )
    assert backwards.status_code == 400
    assert "must end after it starts" in backwards.content.decode()
    customer_host = client.post(
        "/api/jams",
        body | {"ends_at": (now + timedelta(days=2)).isoformat(), "hosts": ["alice"]},
        content_type="application/json",
        headers=_api(cast.sam),
    )
    assert customer_host.status_code == 400
    assert "Hosts are staff" in customer_host.content.decode()
    assert not Jam.objects.exists()
