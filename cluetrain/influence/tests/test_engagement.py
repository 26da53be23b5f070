"""The engagement inbox: what waits, in which order, claims that one staff member wins, answers."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoAssertNumQueries, Settings

from cluetrain.core.errors import ActionError
from cluetrain.influence.engagement import check_claim, inbox, response_times
from cluetrain.influence.models import Cascade, InfluenceScore, StaffResponse, ThreadClaim
from cluetrain.influence.tests.helpers import client_for, opening, read_as
from cluetrain.members.models import Member
from cluetrain.threads.actions import do_reply
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places


def _waiting(cast: Cast, places: Places, body: str, *, hours: float, score: float) -> Thread:
    thread = opening(cast.alice, places.forum, body, at=timezone.now() - timedelta(hours=hours))
    read_as(thread.posts.get(), score)
    return thread


def test_inbox_lists_only_threads_whose_last_outside_message_is_unanswered(
    cast: Cast, places: Places
) -> None:
    waiting = _waiting(cast, places, "Still broken", hours=2, score=-0.5)
    answered = _waiting(cast, places, "Fixed?", hours=3, score=0.0)
    do_reply(cast.sam, answered, body_md="Yes, update to 3.2.", created_at=timezone.now())
    again = _waiting(cast, places, "Thanks but", hours=5, score=0.0)
    do_reply(cast.sam, again, body_md="Try this.", created_at=timezone.now() - timedelta(hours=4))
    follow_up = do_reply(cast.bob, again, body_md="Did not work.", created_at=timezone.now())
    staff_only = opening(cast.sam, places.forum, "Staff announcement")
    rows = {row.thread.pk: row for row in inbox()}
    assert set(rows) == {waiting.pk, again.pk}
    assert staff_only.pk not in rows
    assert rows[again.pk].first_waiting == follow_up  # the wait restarted after sam's answer
    assert rows[again.pk].negativity == 0.5  # unread follow-up counts as neutral


def test_urgency_multiplies_the_four_factors_shown(cast: Cast, places: Places) -> None:
    mild = _waiting(cast, places, "A question", hours=1, score=0.6)
    angry = _waiting(cast, places, "Furious", hours=1, score=-1.0)
    Cascade.objects.create(
        thread=angry,
        root_post=angry.posts.get(),
        started_at=angry.created_at,
        forecast=9.0,
        updated_at=timezone.now(),
    )
    InfluenceScore.objects.create(member=cast.alice, score=0.5, rank=1, computed_at=timezone.now())
    InfluenceScore.objects.create(member=cast.bob, score=0.5, rank=2, computed_at=timezone.now())
    rows = inbox()
    assert [row.thread for row in rows] == [angry, mild]
    top = rows[0]
    assert top.negativity == 1.0
    assert top.reach == 10.0
    assert top.influence == 2.0  # 1 + log2(1 + 2 people x 0.5)
    assert top.waiting == pytest.approx(2.0, abs=0.01)
    assert top.urgency == pytest.approx(1.0 * 10.0 * 2.0 * top.waiting)
    assert rows[1].negativity == pytest.approx(0.2)
    page = client_for("sam").get(reverse("engage")).content.decode()
    assert page.index("Furious") < page.index("A question")
    assert "negativity 1.00 \u00d7 reach 10.0 \u00d7 influence 2.00" in page


def test_two_staff_claiming_one_wins_the_other_gets_409(cast: Cast, places: Places) -> None:
    thread = _waiting(cast, places, "Help", hours=1, score=-0.3)
    sam, maya = client_for("sam"), client_for("maya")
    url = reverse("engage_act", args=[thread.pk, "claim"])
    assert sam.post(url).status_code == 302
    lost = maya.post(url)
    assert lost.status_code == 409
    assert "Sam Staff already claimed this conversation." in lost.content.decode()
    assert ThreadClaim.objects.get(thread=thread).claimed_by == cast.sam
    assert sam.post(url).status_code == 302  # claiming again is harmless
    # maya cannot release sam's claim; sam can, then maya wins.
    assert maya.post(reverse("engage_act", args=[thread.pk, "release"])).status_code == 409
    assert sam.post(reverse("engage_act", args=[thread.pk, "release"])).status_code == 302
    assert maya.post(url).status_code == 302
    assert ThreadClaim.objects.get(thread=thread).claimed_by == cast.maya


def test_a_lapsed_claim_can_be_taken(cast: Cast, places: Places) -> None:
    thread = _waiting(cast, places, "Help", hours=1, score=-0.3)
    check_claim(cast.sam, thread)
    ThreadClaim.objects.update(claimed_at=timezone.now() - timedelta(hours=2))
    assert check_claim(cast.maya, thread).claimed_by == cast.maya


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_from_threads_have_exactly_one_winner(
    cast: Cast, places: Places, settings: Settings
) -> None:
    settings.LISTENING_ENRICH = False  # here commits are real: keep the reader out of it
    thread = _waiting(cast, places, "Race", hours=1, score=-0.3)
    ThreadClaim.objects.create(thread=thread)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(member: Member) -> None:
        barrier.wait()
        try:
            for _attempt in range(100):
                try:
                    check_claim(member, thread)
                    outcomes[member.username] = "won"
                except ActionError as error:
                    outcomes[member.username] = str(error.status)
                except OperationalError as error:
                    # The in-memory test database has no busy timeout: a file database waits
                    # for the other writer instead, which is what this retry stands for.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
                    continue
                break
        finally:
            connection.close()

    workers = [threading.Thread(target=claim, args=(m,)) for m in (cast.sam, cast.maya)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes.values()) == ["409", "won"]
    winner = ThreadClaim.objects.get(thread=thread).claimed_by
    assert winner is not None
    assert outcomes[winner.username] == "won"


def test_answering_in_place_replies_releases_the_claim_and_records_the_wait(
    cast: Cast, places: Places
) -> None:
    thread = _waiting(cast, places, "Broken hub", hours=2, score=-0.7)
    waiting_post = thread.posts.get()
    client = client_for("sam")
    client.post(reverse("engage_act", args=[thread.pk, "claim"]))
    response = client.post(reverse("engage_act", args=[thread.pk, "answer"]), {"body": "On it."})
    assert response.status_code == 302
    reply = Post.objects.get(thread=thread, is_staff_reply=True)
    assert (reply.author, reply.parent) == (cast.sam, waiting_post)
    assert ThreadClaim.objects.get(thread=thread).claimed_by is None
    recorded = StaffResponse.objects.get()
    assert recorded.responder == cast.sam
    assert recorded.seconds == pytest.approx(2 * 3600, abs=60)
    assert inbox() == []
    times = response_times()
    assert [(t.responder, t.answered) for t in times] == [(cast.sam, 1)]
    assert times[0].median_minutes == pytest.approx(120, abs=1)
    page = client.get(reverse("engage_responses")).content.decode()
    assert "You: <strong>120." in page


def test_two_staff_answering_at_once_both_replies_are_kept(cast: Cast, places: Places) -> None:
    thread = _waiting(cast, places, "Anyone?", hours=1, score=-0.2)
    url = reverse("engage_act", args=[thread.pk, "answer"])
    # Both loaded the inbox before either answered.
    assert client_for("sam").post(url, {"body": "Sam here."}).status_code == 302
    assert client_for("ada").post(url, {"body": "Ada here."}).status_code == 302
    assert Post.objects.filter(thread=thread, is_staff_reply=True).count() == 2
    assert StaffResponse.objects.get().responder == cast.sam  # the first response counts once
    assert inbox() == []


def test_an_empty_answer_is_refused_and_writes_nothing(cast: Cast, places: Places) -> None:
    thread = _waiting(cast, places, "Anyone?", hours=1, score=-0.2)
    response = client_for("sam").post(
        reverse("engage_act", args=[thread.pk, "answer"]), {"body": "   "}
    )
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1
    assert not StaffResponse.objects.exists()
    assert (
        client_for("sam").post(reverse("engage_act", args=[thread.pk, "dance"])).status_code == 404
    )
    assert client_for("sam").post(reverse("engage_act", args=[99999, "claim"])).status_code == 404


@pytest.mark.usefixtures("banner_checked_on_every_page")
def test_the_inbox_page_costs_the_same_queries_for_more_threads(
    cast: Cast, places: Places, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for("sam")
    for i in range(2):
        _waiting(cast, places, f"Waiting {i}", hours=1, score=-0.5)
    client.get(reverse("engage"))  # warm the per-language caches of the layout
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("engage"))
    for i in range(6):
        _waiting(cast, places, f"More {i}", hours=1, score=-0.5)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("engage")).content.decode()
    assert page.count('<li id="thread-') == 8
