"""Reputation in the platform: from what others did, shown with how it was made, ring-proof."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cluetrain.core.sentences import Sentence, stored_in_words
from cluetrain.members.models import Member
from cluetrain.relationships.actions import do_express
from cluetrain.reputation.compute import refresh_reputation
from cluetrain.reputation.idea_weights import flagged_accounts_count_nothing
from cluetrain.reputation.models import FlaggedAccount, Reputation
from cluetrain.reputation.reasons import SENTENCES, flag_sentence
from cluetrain.threads.actions import (
    check_accept_answer,
    check_create_thread,
    check_react,
    check_reply,
)
from cluetrain_analytics.reputation.defences import FLAG_CUES, FlagReason
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


def test_a_score_reads_out_of_100() -> None:
    from cluetrain.reputation.templatetags.reputation import out_of_100

    assert (out_of_100(-1.0), out_of_100(0.0), out_of_100(0.36)) == (0, 50, 68)


def test_every_cue_the_defences_can_name_has_a_sentence_with_its_figures() -> None:
    assert set(SENTENCES) == set(FLAG_CUES)
    for cue, names in FLAG_CUES.items():
        figures: dict[str, int | float] = {name: 20 + n for n, name in enumerate(names)}
        if cue == "near_identical_neighbourhoods":
            figures["similarity"] = 0.65
        sentence = flag_sentence(FlagReason(cue, figures))
        assert set(sentence.values) == set(names)
        english = sentence.render_in("en")
        assert all(str(value) in english for value in figures.values())
        assert Sentence.from_json(sentence.to_json()) == sentence


def _ring_flagged(cast: Cast) -> list[Member]:
    """Eight fresh accounts vouch for one another and block bob: flagged."""
    ring = [make_member(f"sock{n}", Member.Role.CUSTOMER) for n in range(8)]
    for a in ring:
        for b in ring:
            if a != b:
                do_express(a, "vouch", b)
        do_express(a, "blacklist", cast.bob)
    refresh_reputation()
    return ring


def test_a_flag_keeps_its_reasons_as_sentences_and_staff_read_them_in_french(
    cast: Cast,
) -> None:
    ring = _ring_flagged(cast)
    flag = FlaggedAccount.objects.get(member=ring[0])
    kept = [Sentence.from_json(reason) for reason in flag.reasons]
    assert [(s.singular, dict(s.values)) for s in kept if s][1:4] == [
        ("%(percent)s%% of the possible ratings inside the group exist", {"percent": 100}),
        (
            "%(percent)s%% of the group's links leave it (at most %(limit)s%%)",
            {"percent": 12, "limit": 25},
        ),
        ("the group rates %(count)s account outside itself", {"count": 1}),
    ]
    assert kept[0] is not None
    assert kept[0].values == {"count": 8, "similarity": 0.6}
    french = Client(headers={"accept-language": "fr"})
    french.force_login(cast.sam)
    for page in (reverse("reputation_flagged"), reverse("profile", args=["sock0"])):
        html = french.get(page).content.decode()
        assert "(Jaccard &gt;= 0,6)" in html
        assert "100 % des notes possibles au sein du groupe existent" in html
        assert "12 % des liens du groupe en sortent (au plus 25 %)" in html
        assert "le groupe note 1 compte hors de lui-même" in html  # one: singular
    english = Client()
    english.force_login(cast.sam)
    html = english.get(reverse("reputation_flagged")).content.decode()
    assert "one of 8 accounts with near-identical neighbourhoods (Jaccard &gt;= 0.6)" in html
    assert "the group rates 1 account outside itself" in html
    assert "8 of the group&#x27;s accounts first appeared within 24 h of each other" in html


def test_flag_reasons_in_french_plurals_and_text_from_before_sentences(cast: Cast) -> None:
    from cluetrain.reputation.templatetags.reputation import flag_reason

    three = flag_sentence(FlagReason("rates_outside", {"count": 3})).to_json()
    assert flag_reason(three) == "the group rates 3 accounts outside itself"
    with translation.override("fr"):
        assert flag_reason(three) == "le groupe note 3 comptes hors de lui-même"
        assert flag_reason("something new") == "something new"
    FlaggedAccount.objects.create(member=cast.pat, reasons=[three], computed_at=timezone.now())
    ((weight, why),) = flagged_accounts_count_nothing([cast.pat.pk, cast.bob.pk]).values()
    assert weight == 0.0
    assert why == "flagged by the reputation defences: the group rates 3 accounts outside itself"


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_english_reasons_into_sentences(cast: Cast) -> None:
    before = [("reputation", "0001_initial")]
    after = [("reputation", "0002_flag_reasons_as_sentences")]
    old_reasons = [
        "one of 12 accounts with near-identical neighbourhoods (Jaccard >= 0.6)",
        "92% of the possible ratings inside the group exist",
        "8% of the group's links leave it (at most 25%)",
        "the group rates 1 account(s) outside itself",
        "12 of the group's accounts first appeared within 24 h of each other",
        "a reason of the future",  # the defences never wrote this: kept as written
    ]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("reputation", "FlaggedAccount")
        old.objects.create(member_id=cast.alice.pk, reasons=old_reasons, computed_at=timezone.now())
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        reasons = FlaggedAccount.objects.get(member=cast.alice).reasons
        assert reasons[0] == {
            "singular": "one of %(count)s account with near-identical neighbourhoods "
            "(Jaccard >= %(similarity)s)",
            "plural": "one of %(count)s accounts with near-identical neighbourhoods "
            "(Jaccard >= %(similarity)s)",
            "values": {"count": 12, "similarity": 0.6},
        }
        assert reasons[3] == {
            "singular": "the group rates %(count)s account outside itself",
            "plural": "the group rates %(count)s accounts outside itself",
            "values": {"count": 1},
        }
        assert reasons[5] == "a reason of the future"
        # The sentences the defences write now, from the same figures.
        assert reasons[1:5] == [
            flag_sentence(FlagReason("dense_inside", {"percent": 92})).to_json(),
            flag_sentence(FlagReason("links_leaving", {"percent": 8, "limit": 25})).to_json(),
            flag_sentence(FlagReason("rates_outside", {"count": 1})).to_json(),
            flag_sentence(FlagReason("created_together", {"count": 12, "hours": 24})).to_json(),
        ]
        with translation.override("fr"):
            assert [stored_in_words(reason) for reason in reasons[1:4]] == [
                "92 % des notes possibles au sein du groupe existent",
                "8 % des liens du groupe en sortent (au plus 25 %)",
                "le groupe note 1 compte hors de lui-même",
            ]
        # And back: nothing to undo, the sentences stay (the pages read both).
        MigrationExecutor(connection).migrate(before)
        assert FlaggedAccount.objects.get(member=cast.alice).reasons == reasons
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_group_size_and_creation_burst_read_in_french(cast: Cast) -> None:
    """Their plural forms are new sentences (their French comes with the catalogue)."""
    group = flag_sentence(
        FlagReason("near_identical_neighbourhoods", {"count": 8, "similarity": 0.6})
    )
    burst = flag_sentence(FlagReason("created_together", {"count": 8, "hours": 24}))
    assert group.render_in("fr") == (
        "l'un de 8 comptes aux voisinages presque identiques (Jaccard >= 0,6)"
    )
    assert burst.render_in("fr") == "8 comptes du groupe sont apparus à moins de 24 h d'intervalle"
    FlaggedAccount.objects.create(
        member=cast.pat, reasons=[burst.to_json()], computed_at=timezone.now()
    )
    with translation.override("fr"):
        (reason,) = flagged_accounts_count_nothing([cast.pat.pk]).values()
    assert reason[1] == (
        "signalé par les défenses de la réputation : "
        "8 comptes du groupe sont apparus à moins de 24 h d'intervalle"
    )


def _recomputations_waiting() -> int:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from cluetrain.reputation.tasks import recompute_reputation

    return DBTaskResult.objects.filter(
        task_path=recompute_reputation.module_path, status=TaskResultStatus.READY
    ).count()


def test_a_burst_of_ratings_queues_one_recomputation_and_a_later_one_another(
    settings: Any, transactional_db: None, cast: Cast, places: Places
) -> None:
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker

    # Queued in the database for a worker, as `cluetrain serve` runs them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    thread = check_create_thread(cast.alice, places.qa, title="Help", body_md="How?")
    answers = [check_reply(cast.bob, thread, body_md=f"Like this, {n}.") for n in range(6)]
    with transaction.atomic():
        for answer in answers[:5]:
            check_react(cast.alice, answer, "like")
    check_react(cast.pat, answers[0], "like")  # its own transaction, while one still waits
    assert _recomputations_waiting() == 1
    Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="reputation", excluded_queue_names=[],
    ).run()  # fmt: skip
    assert _recomputations_waiting() == 0
    assert Reputation.objects.get(member=cast.bob).raters == 2
    # After it ran, a new rating is not covered: it queues a recomputation of its own.
    check_react(cast.alice, answers[5], "like")
    assert _recomputations_waiting() == 1
