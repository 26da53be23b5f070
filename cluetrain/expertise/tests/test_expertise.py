"""Expert suggestions on questions, invitations to answer, and the expert search."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cluetrain.core.errors import ActionError
from cluetrain.expertise import finder
from cluetrain.expertise.actions import check_invite_to_answer
from cluetrain.influence.models import ThreadClaim
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.models import Thread
from conftest import PASSWORD, Cast, Places, make_member

OnCommit = Callable[..., Any]


def _login(client: Client, member: Member) -> None:
    assert client.login(username=member.username, password=PASSWORD)


def test_the_member_who_solved_it_before_is_suggested_with_the_evidence(
    client: Client, cast: Cast, history: Thread
) -> None:
    _login(client, cast.sam)
    page = client.get(reverse("thread_experts", args=[history.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    first = html.index("Bob Baker")
    assert first < html.find("Pat Partner") or html.find("Pat Partner") == -1
    assert "Hub battery drains overnight" in html  # his accepted answers, as evidence
    assert "accepted" in html
    # The asker is never suggested to answer their own question.
    assert "Alice Archer</strong>" not in html


def test_a_staff_only_question_suggests_only_people_who_can_read_it(
    client: Client,
    cast: Cast,
    places: Places,
    history: Thread,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.maya, history, body_md="Check the battery settings")
        hidden = check_create_thread(
            cast.sam,
            places.staff_room,
            title="Battery drains on the hub",
            kind="question",
            body_md="Battery empty overnight",
            tags=list(history.tags.all()),
        )
    finder.forget()
    suggestions = finder.suggest(finder.query_for_thread(hidden), readers_of=hidden)
    assert suggestions
    assert all(s.member.is_company_staff for s in suggestions)
    with pytest.raises(ActionError) as refused:
        check_invite_to_answer(cast.sam, hidden, cast.bob)
    assert refused.value.status == 403
    assert not Notification.objects.filter(recipient=cast.bob, kind="invite").exists()


def test_an_invitation_notifies_once_and_records_the_relationship(
    client: Client, cast: Cast, history: Thread, django_capture_on_commit_callbacks: OnCommit
) -> None:
    _login(client, cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("invite_to_answer", args=[history.pk]), {"member": "bob"})
    assert sent.status_code == 302
    note = Notification.objects.get(recipient=cast.bob, kind="invite")
    assert note.thread_id == history.pk
    assert note.actor == cast.alice
    assert RelationshipEvent.objects.filter(
        kind="invite", actor_member=cast.alice, target_member=cast.bob
    ).exists()
    again = client.post(reverse("invite_to_answer", args=[history.pk]), {"member": "bob"})
    assert again.status_code == 409
    assert Notification.objects.filter(recipient=cast.bob, kind="invite").count() == 1
    myself = client.post(reverse("invite_to_answer", args=[history.pk]), {"member": "alice"})
    assert myself.status_code == 400


def test_busy_people_rank_lower_with_the_reason(
    cast: Cast, places: Places, history: Thread
) -> None:
    for n in range(4):
        thread = Thread.objects.create(
            space=places.qa,
            title=f"Waiting {n}",
            kind="question",
            created_at=history.created_at,
            last_activity_at=history.created_at,
        )
        ThreadClaim.objects.create(
            thread=thread, claimed_by=cast.bob, claimed_at=history.created_at
        )
    suggestions = finder.suggest(finder.query_for_thread(history), readers_of=history)
    bob = next(s for s in suggestions if s.member == cast.bob)
    assert ("busy: 4 open claims in the inbox", -1.0) in bob.expert.reasons


def test_the_expert_search_and_the_pages_need_a_member(
    client: Client, cast: Cast, history: Thread
) -> None:
    assert client.get(reverse("find_experts")).status_code == 302
    assert client.get(reverse("thread_experts", args=[history.pk])).status_code == 302
    _login(client, cast.alice)
    page = client.get(reverse("find_experts"), {"q": "battery drains overnight"})
    assert "Bob Baker" in page.content.decode()
    newcomer = make_member("newbie", Member.Role.CUSTOMER)
    assert "newbie" not in page.content.decode()
    assert newcomer.pk


def test_the_team_builder_covers_the_skills_and_explains_each_member(
    client: Client, cast: Cast, pairing_expert: Thread
) -> None:
    assert client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("team_builder"), {"skills": "battery"}).status_code == 403
    assert client.login(username="sam", password=PASSWORD)
    page = client.get(
        reverse("team_builder"), {"text": "a new smart home", "skills": "battery pairing"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bob Baker" in html  # battery
    assert "Pat Partner" in html  # pairing
    assert "covers battery" in html
    assert "Covers 2 skills" in html
    swap = client.get(
        reverse("team_builder"),
        {"skills": "battery pairing", "out": str(cast.bob.pk), "in": str(cast.maya.pk)},
    ).content.decode()
    assert "instead of Bob Baker" in swap or "put in someone who is not on it" in swap
    refused = client.get(reverse("team_builder"), {"skills": "battery", "customer": "nobody"})
    assert refused.status_code == 400


def test_the_team_builder_offers_only_newcomers_and_puts_coverage_before_the_cost(
    client: Client, cast: Cast, pairing_expert: Thread
) -> None:
    assert client.login(username="sam", password=PASSWORD)
    html = client.get(reverse("team_builder"), {"skills": "battery pairing"}).content.decode()
    put_in = html[html.index('<select id="in"') : html.index("</select>", html.index('id="in"'))]
    assert f'value="{cast.bob.pk}"' not in put_in  # on the team: cannot replace anyone
    assert f'value="{cast.pat.pk}"' not in put_in
    assert re.search(r"\d\.\d{3,} from the nearest teammate", html) is None
    swap = client.get(
        reverse("team_builder"),
        {"skills": "battery pairing", "out": str(cast.bob.pk), "in": str(cast.maya.pk)},
    ).content.decode()
    # Maya holds neither skill: the team loses battery, which reads first, before the cost.
    said = swap.index("covers 1 of 2 skills (was 2 of 2)")
    assert "instead of Bob Baker" in swap
    assert "Maya" in swap[swap.index("With ") : said]
    assert said < swap.index("Then the cost")
    assert "This swap loses a skill" in swap


def test_with_enough_accepted_answers_the_ranker_is_fitted_on_the_community(
    history: Thread, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not finder.build().describe()["fitted"]  # a few accepted answers: hand-set weights
    monkeypatch.setattr(finder, "FIT_AFTER", 1)
    built = finder.build()
    assert built.describe()["fitted"]
    monkeypatch.setattr(finder, "community_finder", lambda: built)
    suggestions = finder.suggest(finder.query_for_thread(history), readers_of=history)
    assert cast.bob in [s.member for s in suggestions]


def test_a_rebuild_keeps_the_fitted_ranker_until_the_answers_grow(
    history: Thread, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    finder.forget()
    monkeypatch.setattr(finder, "FIT_AFTER", 1)
    first = finder.build()
    again = finder.build()  # the index is rebuilt; the fit over every past question is not redone
    assert again is not first
    assert again.describe()["fitted"]
    assert again.weights == first.weights
    monkeypatch.setattr(finder, "REFIT_GROWTH", -1.0)  # any count now counts as grown
    refitted = finder.build()
    assert refitted.describe()["fitted"]
    assert finder._fitted is not None
    assert finder._fitted.finder is refitted
    finder.forget()
