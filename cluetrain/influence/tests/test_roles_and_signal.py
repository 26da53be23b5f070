"""Roles that single out a minority with a readable reason, staff apart from customers, and a
leaderboard that falls back to counting attention where that predicted the later days better."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from cluetrain.influence.models import InfluenceScore, RankingSignal
from cluetrain.influence.roles import role_reasons, signal_reason
from cluetrain.influence.scores import compute_influence
from cluetrain.influence.tests.helpers import client_for, customers, opening, read_as, topic
from cluetrain.members.models import Member
from cluetrain.threads.actions import do_reply
from conftest import Cast, Places


def test_a_customer_expert_gets_a_reason_and_staff_are_listed_apart(
    cast: Cast, places: Places
) -> None:
    wifi = topic("wifi drops")
    askers = customers(20, prefix="asker")
    # sam (staff) is replied to most; guru, a customer, answers on one topic and is thanked.
    sam_post = opening(cast.sam, places.forum, "Router firmware 2.1 is out")
    read_as(sam_post.posts.get(), 0.5, wifi)
    guru = customers(1, prefix="guru")[0]
    guru_post = opening(guru, places.qa, "How I fixed my wifi drops")
    read_as(guru_post.posts.get(), 0.6, wifi)
    for asker in askers:
        do_reply(asker, sam_post, body_md="Thanks Sam")
    for asker in askers[:8]:
        do_reply(asker, guru_post, body_md="That fixed it for me too")
    compute_influence()

    overall = InfluenceScore.objects.get(member=guru, topic__isnull=True)
    on_wifi = InfluenceScore.objects.get(member=guru, topic=wifi)
    assert "expert" in overall.role_list
    assert "expert" in on_wifi.role_list  # roles per topic too, not only overall
    assert on_wifi.role_facts["expert"]["ahead_of"] >= 0.9
    # A minority: of the 22 active people at most one in ten (and ties) is an expert.
    experts = [s for s in InfluenceScore.objects.filter(topic=wifi) if "expert" in s.role_list]
    assert len(experts) <= 2

    client = client_for("maya")
    card = client.get(reverse("influence_card", args=[guru.username])).content.decode()
    answers = round(on_wifi.role_facts["expert"]["answers_received"])
    assert answers == 8
    assert f"Heard for answers: {answers} replies and accepted answers received" in card
    board = client.get(reverse("influence")).content.decode()
    customers_part, company_part = board.split("own voice: staff and partners")
    assert guru.name in customers_part
    assert cast.sam.name not in customers_part
    assert cast.sam.name in company_part
    assert RankingSignal.objects.filter(topic__isnull=True).count() == 1
    assert RankingSignal.objects.filter(topic=wifi).count() == 1
    # Too little later activity to compare: influence, and the page says so.
    assert "too little later activity" in board


def test_a_topic_is_ranked_by_attention_received_where_that_predicted_later_days_better(
    cast: Cast, places: Places
) -> None:
    billing = topic("billing")
    fans = customers(10, prefix="fan")
    a, b, c = customers(3, prefix="voice")
    start = timezone.now() - timedelta(days=20)
    threads = {}
    for who in (a, b, c):
        thread = opening(who, places.forum, f"{who.username} on billing", at=start)
        read_as(thread.posts.get(), 0.1, billing)
        threads[who] = thread

    def replies(by: list[Member], to: Member, count: int, day: int) -> None:
        for i in range(count):
            at = start + timedelta(days=day, minutes=i)
            do_reply(by[i % len(by)], threads[to], body_md="Agreed", created_at=at)

    # Before (three quarters of the activity): a is answered 50 times, b 40, c 30 times by a
    # alone: propagation lifts c above a and b, counting puts a first and b second.
    replies(fans, a, 50, day=1)
    replies(fans, b, 40, day=2)
    replies([a], c, 30, day=3)
    # Later: everybody talks to b.
    replies(fans, b, 40, day=10)
    compute_influence()

    signal = RankingSignal.objects.get(topic=billing)
    assert signal.signal == RankingSignal.Signal.IN_DEGREE
    assert signal.in_degree_ndcg is not None
    assert signal.influence_ndcg is not None
    assert signal.in_degree_ndcg > signal.influence_ndcg
    ranked = [s.member_id for s in InfluenceScore.objects.filter(topic=billing)[:3]]
    assert ranked == [b.pk, a.pk, c.pk]  # attention received over the whole history
    page = client_for("sam").get(reverse("influence") + f"?topic={billing.pk}").content.decode()
    assert "Ranked by attention received" in page


def test_reasons_write_figures_and_plurals_in_the_readers_notation() -> None:
    facts = {
        "connector": {"betweenness": 0.00419, "topics_spanned": 1.0, "ahead_of": 0.95},
        "expert": {"answers_received": 8, "answer_share": 0.5, "topics_heard": 3.0},
    }
    signal = RankingSignal(
        signal=RankingSignal.Signal.IN_DEGREE, influence_ndcg=0.8, in_degree_ndcg=0.8299
    )
    english = {reason.role: reason.reason for reason in role_reasons(facts)}
    assert "betweenness 0.004, talking on 1 topic;" in english["connector"]
    assert "on 3 topics;" in english["expert"]
    assert "NDCG@20 0.83 against 0.80" in signal_reason(signal)
    with translation.override("fr"):
        french = {reason.role: reason.reason for reason in role_reasons(facts)}
        assert "intermédiarité 0,004, présent sur 1 sujet ;" in french["connector"]
        assert "sur 3 sujets ;" in french["expert"]
        assert "NDCG@20 0,83 contre 0,80" in signal_reason(signal)
