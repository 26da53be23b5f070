"""Reputation in the platform: from what others did, shown with how it was made, ring-proof."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cluetrain.members.models import Member
from cluetrain.relationships.actions import do_express
from cluetrain.reputation.compute import refresh_reputation
from cluetrain.reputation.models import FlaggedAccount, Reputation
from cluetrain.threads.actions import (
    check_accept_answer,
    check_create_thread,
    check_react,
    check_reply,
)
from conftest import PASSWORD, Cast, Places, make_member

OnCommit = Callable[..., Any]


def test_accepted_answers_and_likes_raise_a_members_reputation_with_the_explanation(
    client: Client, cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for asker in (cast.alice, cast.pat, cast.maya):
            question = check_create_thread(
                asker, places.qa, title="Help", body_md="How?", kind="question"
            )
            answer = check_reply(cast.bob, question, body_md="Like this.")
            check_accept_answer(asker, answer)
            check_react(asker, answer, "like")
    bob = Reputation.objects.get(member=cast.bob)  # recomputed by the task after the events
    assert bob.score > 0
    assert bob.raters == 3
    # One count per member per target: an asker's accept and like of one answer count once.
    assert bob.ratings == 3
    assert bob.explanation["repeat_ratings_dropped"] == 3
    assert client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("profile", args=["bob"])).content.decode()
    assert "How it was made" in page
    assert "3 ratings from 3 members" in page
    assert "3 repeat ratings by the same member dropped" in page


def test_a_ring_of_fresh_accounts_is_flagged_and_cannot_sink_a_member(
    cast: Cast, places: Places
) -> None:
    # Honest members vouch for bob.
    for voucher in (cast.alice, cast.pat, cast.sam, cast.maya):
        do_express(voucher, "vouch", cast.bob)
    refresh_reputation()
    before = Reputation.objects.get(member=cast.bob).score
    ring = [make_member(f"sock{n}", Member.Role.CUSTOMER) for n in range(8)]
    for a in ring:
        for b in ring:
            if a != b:
                do_express(a, "vouch", b)
        do_express(a, "blacklist", cast.bob)
    refresh_reputation()
    flagged = set(FlaggedAccount.objects.values_list("member__username", flat=True))
    assert {m.username for m in ring} <= flagged
    assert not flagged & {"alice", "bob", "pat", "sam", "maya"}
    after = Reputation.objects.get(member=cast.bob)
    assert after.score == pytest.approx(before, abs=0.05)
    assert after.explanation["dropped_from_flagged_raters"] == len(ring)


def test_the_flagged_page_is_for_staff_and_the_command_reports(
    client: Client, cast: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    do_express(cast.alice, "recommend", cast.bob)
    call_command("reputation")
    assert "1 parties rated, 0 accounts flagged" in capsys.readouterr().out
    assert client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("reputation_flagged")).status_code == 403
    assert client.login(username="sam", password=PASSWORD)
    assert "Bob Baker" in client.get(reverse("reputation_flagged")).content.decode()


def test_a_registered_source_adds_its_ratings(db: None) -> None:
    from cluetrain.reputation import signals

    def pumped() -> list[signals.Row]:
        return [("m:1", "o:2", 1.0, 10.0), ("m:3", "o:2", -1.0, 5.0)]

    signals.register_source(pumped)
    signals.register_source(pumped)
    try:
        rows = signals.ratings()
        assert rows.count(("m:1", "o:2", 1.0, 10.0)) == 1
        assert ("m:3", "o:2", -1.0, 5.0) in rows
        assert [row[3] for row in rows] == sorted(row[3] for row in rows)
    finally:
        signals._sources.remove(pumped)


def test_the_defences_reasons_read_as_whole_sentences() -> None:
    """Stored in English as computed, shown through a translatable sentence per reason."""
    from cluetrain.reputation.templatetags.reputation import flag_reason, out_of_100

    assert flag_reason("the group rates 1 account(s) outside itself") == (
        "the group rates 1 account outside itself"
    )
    assert flag_reason("the group rates 3 account(s) outside itself") == (
        "the group rates 3 accounts outside itself"
    )
    assert flag_reason("40% of the group's links leave it (at most 20%)") == (
        "40% of the group's links leave it (at most 20%)"
    )
    assert flag_reason("something new") == "something new"
    assert (out_of_100(-1.0), out_of_100(0.0), out_of_100(0.36)) == (0, 50, 68)
