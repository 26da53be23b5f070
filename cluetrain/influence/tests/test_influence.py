"""Influence from the store: the graph of who reacted to whom, scores per topic, the pages."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.influence.graph import community_interactions
from cluetrain.influence.models import InfluenceScore
from cluetrain.influence.scores import advocates_detractors, compute_influence
from cluetrain.influence.tests.helpers import client_for, customers, opening, read_as, topic
from cluetrain.listening.models import LearnedTopic
from cluetrain.members.models import Connection
from cluetrain.threads.actions import do_reply, do_toggle_reaction, record_mentions
from cluetrain.threads.models import Thread
from conftest import Cast, Places


@pytest.fixture
def community(cast: Cast, places: Places) -> dict[str, LearnedTopic]:
    """bob is heard on wifi (replies, reactions, an accepted answer) and is unhappy;
    alice is heard on billing and happy; pat has many followers and nobody reacts to him."""
    wifi, billing = topic("wifi drops"), topic("billing")
    fans = customers(4, prefix="fan")
    question = opening(cast.bob, places.qa, "Wifi drops every hour, I hate this")
    Thread.objects.filter(pk=question.pk).update(kind=Thread.Kind.QUESTION)
    read_as(question.posts.get(), -0.8, wifi)
    replies = []
    for fan in fans[:3]:
        reply = do_reply(fan, question, body_md="Same for me @bob")
        record_mentions(reply)
        read_as(reply, -0.4, wifi)
        replies.append(reply)
        do_toggle_reaction(fan, question.posts.get(parent__isnull=True), "like")
    answer = do_reply(cast.bob, question, body_md="Fixed by a reboot, still annoyed")
    read_as(answer, -0.6, wifi)
    Thread.objects.filter(pk=question.pk).update(accepted_answer=replies[0])
    bill = opening(cast.alice, places.forum, "Billing is great now, thanks!")
    read_as(bill.posts.get(), 0.9, billing)
    for fan in fans[2:]:
        do_toggle_reaction(fan, bill.posts.get(), "helpful")
    do_toggle_reaction(fans[3], bill.posts.get(), "downvote")  # not attention given
    idea = opening(cast.alice, places.ideas, "Dark mode please")
    read_as(idea.posts.get(), 0.5, billing)
    IdeaVote.objects.create(
        idea=Idea.objects.create(thread=idea), member=fans[0], created_at=timezone.now()
    )
    for member in [*fans, cast.alice, cast.bob]:
        Connection.objects.create(
            from_member=member, to_member=cast.pat, kind="follow", created_at=timezone.now()
        )
    return {"wifi": wifi, "billing": billing}


def test_interactions_point_from_who_acted_to_who_was_heard(
    cast: Cast, community: dict[str, LearnedTopic]
) -> None:
    found = community_interactions()
    kinds: dict[str, int] = {}
    for item in found:
        kinds[str(item.kind)] = kinds.get(str(item.kind), 0) + 1
    assert kinds == {
        "reply": 3,  # bob's reply to his own question is no interaction
        "mention": 3,
        "vote": 3 + 2 + 1,  # likes, helpfuls (the down-vote left out), the idea vote
        "accepted_answer": 1,
        "follow": 6,
    }
    wifi = community["wifi"].pk
    assert {(i.target, i.topic) for i in found if i.kind == "reply"} == {(cast.bob.pk, wifi)}
    assert {i.target for i in found if i.kind == "follow"} == {cast.pat.pk}
    accepted = [i for i in found if i.kind == "accepted_answer"]
    assert [(i.source, i.topic) for i in accepted] == [(cast.bob.pk, wifi)]


def test_compute_influence_ranks_who_is_heard_per_topic_with_stance(
    cast: Cast, community: dict[str, LearnedTopic]
) -> None:
    summary = compute_influence()
    assert summary.topics == 2
    overall = {s.member_id: s for s in InfluenceScore.objects.filter(topic__isnull=True)}
    assert cast.pat.pk not in overall  # followed by six, heard by nobody
    assert overall[cast.bob.pk].rank == 1
    assert overall[cast.bob.pk].stance == pytest.approx((-0.8 - 0.6) / 2)
    assert overall[cast.alice.pk].stance == pytest.approx((0.9 + 0.5) / 2)
    on_billing = InfluenceScore.objects.filter(topic=community["billing"])
    assert [s.member_id for s in on_billing] == [cast.alice.pk]
    on_wifi = InfluenceScore.objects.filter(topic=community["wifi"]).first()
    assert on_wifi is not None
    assert on_wifi.member_id == cast.bob.pk
    sides = advocates_detractors()
    assert next(e["node"] for e in sides["detractors"]) == cast.bob.pk
    assert next(e["node"] for e in sides["advocates"]) == cast.alice.pk
    # Running it again replaces the rows, it does not add to them.
    rows = InfluenceScore.objects.count()
    call_command("influence", "--no-progress", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert InfluenceScore.objects.count() == rows


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("influence", []),
        ("influence_card", ["bob"]),
        ("engage", []),
        ("engage_responses", []),
        ("alerts", []),
        ("alert_settings", []),
    ],
)
def test_only_staff_see_the_pages(cast: Cast, name: str, args: list[str]) -> None:
    url = reverse(name, args=args)
    anonymous = client_for("alice")
    anonymous.logout()
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for outsider in ("alice", "pat"):
        assert client_for(outsider).get(url).status_code == 403
    for staff in ("sam", "maya", "ada"):
        assert client_for(staff).get(url).status_code == 200


def test_customers_cannot_act_on_staff_pages(cast: Cast, places: Places) -> None:
    thread = opening(cast.alice, places.forum, "Help")
    for verb in ("claim", "answer"):
        response = client_for("bob").post(
            reverse("engage_act", args=[thread.pk, verb]), {"body": "x"}
        )
        assert response.status_code == 403
    assert thread.posts.count() == 1


def test_leaderboard_and_card_show_scores_and_evidence(
    cast: Cast, community: dict[str, LearnedTopic]
) -> None:
    compute_influence()
    client = client_for("sam")
    board = client.get(reverse("influence")).content.decode()
    assert board.index("Bob Baker") < board.index("Alice Archer")
    assert "Detractors" in board
    assert "Advocates" in board
    billing = community["billing"].pk
    on_billing = client.get(reverse("influence") + f"?topic={billing}").content.decode()
    assert "Alice Archer" in on_billing
    assert "Bob Baker</a></td>" not in on_billing
    assert client.get(reverse("influence") + "?topic=abc").status_code == 400
    assert client.get(reverse("influence") + "?topic=99999").status_code == 404
    card = client.get(reverse("influence_card", args=["bob"])).content.decode()
    assert "Rank <strong>1</strong>" in card
    assert "Wifi drops every hour" in card
    assert "Fan0" in card
    assert "Fan2" in card
    pat = client.get(reverse("influence_card", args=["pat"])).content.decode()
    assert "influence is 0" in pat
    assert client.get(reverse("influence_card", args=["nobody"])).status_code == 404


def test_stance_reads_agreement_with_staff_and_with_complaints(cast: Cast, places: Places) -> None:
    """Tone alone would make both repliers detractors: dan agrees with a staff answer in an
    annoyed tone (for the company), eve cheerfully agrees with a complaint (against it). A
    question counts for neither side, and staff are never listed as advocates."""
    from cluetrain.influence.scores import stances
    from cluetrain.listening.models import Enrichment

    dan, eve = customers(2, prefix="stance")
    thread = opening(cast.bob, places.forum, "The hub drops every night, useless")
    complaint = thread.posts.get()
    read_as(complaint, -0.8)
    answer = do_reply(
        cast.sam, thread, body_md="A firmware fix is out: update to 2.1.", parent=complaint
    )
    read_as(answer, 0.4)
    do_toggle_reaction(dan, answer, "like")  # sam is heard: he would rank as an advocate
    for author, parent, score, stance in (
        (dan, answer, -0.5, "support"),
        (eve, complaint, 0.3, "support"),
        (eve, answer, 0.0, "query"),
    ):
        reply = do_reply(author, thread, body_md="...", parent=parent)
        read_as(reply, score)
        Enrichment.objects.filter(post=reply).update(stance=stance)
    overall, _ = stances()
    assert overall[dan.pk] == pytest.approx(0.5 * -0.5 + 0.5)
    assert overall[eve.pk] == pytest.approx(0.5 * 0.3 - 0.5)  # the question is left out
    assert overall[cast.bob.pk] == pytest.approx(-0.8)
    compute_influence()
    assert InfluenceScore.objects.get(member=cast.sam, topic__isnull=True).stance == 0.4
    sides = advocates_detractors()
    listed = {e["node"] for side in sides.values() for e in side}
    assert cast.sam.pk not in listed
