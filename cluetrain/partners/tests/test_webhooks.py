"""referral.created and referral.updated reach a real receiver, signed, after commit."""

import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from pytest_django.fixtures import Settings

from cluetrain.partners.actions import (
    check_answer_referral,
    check_rate_referral,
    check_record_outcome,
    check_refer,
)
from cluetrain.partners.tests.conftest import Network
from cluetrain.webhooks.models import WebhookEndpoint
from cluetrain.webhooks.tests.receiver import receiver
from conftest import Cast

OnCommit = Callable[..., Any]


def test_referral_events_are_delivered(
    cast: Cast, network: Network, settings: Settings, django_capture_on_commit_callbacks: OnCommit
) -> None:
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    with receiver() as hook:
        endpoint = WebhookEndpoint.objects.create(
            url=hook.url,
            events=["referral.created", "referral.updated"],
            created_at=timezone.now(),
        )
        hook.secret = endpoint.secret
        with django_capture_on_commit_callbacks(execute=True):
            referral = check_refer(
                cast.sam, customer=cast.bob, provider=network.acme, need="Roof check"
            )
        with django_capture_on_commit_callbacks(execute=True):
            check_answer_referral(cast.pat, referral, accept=True)
        with django_capture_on_commit_callbacks(execute=True):
            check_record_outcome(cast.bob, referral, completed=True)
        with django_capture_on_commit_callbacks(execute=True):
            check_rate_referral(cast.bob, referral, stars=4, words="Good")
    bodies = [json.loads(r.body) for r in hook.requests]
    assert all(r.verified for r in hook.requests)
    assert [b["event"] for b in bodies] == ["referral.created"] + ["referral.updated"] * 3
    created = bodies[0]["data"]["referral"]
    assert created["status"] == "pending"
    assert created["referrer"]["username"] == "sam"
    assert created["customer"]["username"] == "bob"
    assert created["provider"]["slug"] == "acme"
    assert [b["data"]["referral"]["change"] for b in bodies[1:]] == [
        "accepted",
        "completed",
        "rated",
    ]
    assert bodies[-1]["data"]["referral"]["stars"] == 4
