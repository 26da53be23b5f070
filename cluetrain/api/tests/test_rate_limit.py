"""Per-token rate limits: a fixed window counted in the database."""

from datetime import UTC, datetime, timedelta

import pytest
from pytest_django.fixtures import Settings

from cluetrain.api.models import RateWindow
from cluetrain.api.tests.conftest import ApiClient, World
from cluetrain.api.tokens import count_request, do_create_token
from cluetrain.core.ratelimit import seconds_left
from cluetrain.relationships import actions as relationship_actions
from cluetrain.threads.models import Post


def test_over_the_limit_waits_for_the_next_window(world: World, settings: Settings) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    token, _ = do_create_token(world.cast.alice, name="t", scope="read")
    start = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
    assert [count_request(token, now=start + timedelta(seconds=s)) for s in (0, 10, 20)] == [
        None,
        None,
        None,
    ]
    assert count_request(token, now=start + timedelta(seconds=45)) == 15
    assert count_request(token, now=start + timedelta(seconds=59, microseconds=500)) == 1
    assert count_request(token, now=start + timedelta(seconds=60)) is None
    # The next window replaced the old one.
    windows = RateWindow.objects.filter(token=token)
    assert list(windows.values_list("window_start", "count")) == [(start + timedelta(minutes=1), 1)]


def test_the_api_answers_429_with_retry_after(world: World, settings: Settings) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    _, raw = do_create_token(world.cast.alice, name="t", scope="read")
    client = ApiClient(raw)
    assert [client.get("/api/spaces").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/spaces")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "rate_limited"
    # Another token has its own count.
    assert world.client(world.cast.alice).get("/api/spaces").status_code == 200


def test_the_posting_limit_of_the_pages_applies_too(world: World, settings: Settings) -> None:
    settings.POST_RATE_LIMIT_PER_MINUTE = 1
    client = world.client(world.cast.pat)
    path = f"/api/threads/{world.thread.pk}/posts"
    assert client.post(path, {"body": "One"}).status_code == 201
    before = Post.objects.count()
    refused = client.post(path, {"body": "Two"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["message"] == (
        "You are posting too fast. Please wait a minute and try again."
    )
    assert Post.objects.count() == before


def test_an_hourly_limit_says_when_its_hour_ends(world: World, settings: Settings) -> None:
    # Retry-After is the action's own window: a client that waited a minute on an hourly
    # limit would only be refused again.
    settings.TOKEN_RATE_LIMIT_PER_HOUR = 1
    client = world.client(world.cast.pat)  # the fixture's token does not count: made directly
    assert client.post("/api/tokens", {"name": "one"}).status_code == 201
    latest = seconds_left(timedelta(hours=1))
    refused = client.post("/api/tokens", {"name": "two"})
    earliest = seconds_left(timedelta(hours=1))
    assert refused.status_code == 429
    assert earliest <= int(refused["Retry-After"]) <= latest


def test_a_daily_cap_says_when_a_day_has_passed_since_what_it_counted(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rolling daily caps answered 429 with Retry-After: 60 (then with none at all).
    monkeypatch.setattr(relationship_actions, "DAILY_CAP", 1)
    client = world.client(world.cast.alice)
    first = {"kind": "recommend", "target": "member:bob"}
    assert client.post("/api/relationships/expressions", first).status_code == 201
    refused = client.post("/api/relationships/expressions", first | {"target": "member:pat"})
    assert refused.status_code == 429
    assert 86_400 - 60 <= int(refused["Retry-After"]) <= 86_400
