"""Every message is read in batches, stored with its model version, re-read when that changes."""

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings

from cluetrain.listening import enrichment, readers
from cluetrain.listening.enrichment import count_pending, enrich_pending
from cluetrain.listening.models import Enrichment, EnrichmentAspect
from cluetrain.listening.readers import current_readers, forget_readers
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import do_create_thread, do_edit_post, do_reply
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.text.abstain import UNSURE_BELOW
from conftest import Cast, Places

TEXTS = [
    "My Lumen Hub keeps dropping wifi after the update. Furious, nothing works!",
    "Love the Lumen Hub, setup took two minutes and it works perfectly.",
    "How do I reset the Lumen Hub to factory settings?",
    "Refund refused again. Worst support ever, I am cancelling my account.",
]


@pytest.fixture(autouse=True)
def _fresh_readers() -> None:
    forget_readers()  # the catalog differs from test to test


def _thread(author: Member, space: Space, title: str, body: str) -> Post:
    thread = do_create_thread(author, space, title=title, body_md=body, kind=Thread.Kind.DISCUSSION)
    return thread.posts.get()


def _posts(cast: Cast, places: Places, n: int) -> list[Post]:
    posts = [_thread(cast.alice, places.forum, "Hub trouble", TEXTS[0])]
    for i in range(n - 1):
        posts.append(do_reply(cast.bob, posts[0].thread, body_md=TEXTS[(i + 1) % len(TEXTS)]))
    return posts


def test_enrich_stores_every_reading_with_the_version(cast: Cast, places: Places) -> None:
    posts = _posts(cast, places, 4)
    assert count_pending() == 4
    assert enrich_pending(batch_size=3) == 4
    assert count_pending() == 0
    rows = {e.post_id: e for e in Enrichment.objects.prefetch_related("products")}
    version = current_readers().version
    assert {e.model_version for e in rows.values()} == {version}
    angry, happy, question, refund = (rows[p.pk] for p in posts)
    assert angry.sentiment == "negative"
    assert angry.sentiment_score < 0
    assert happy.sentiment == "positive"
    assert happy.sentiment_score > 0
    assert angry.created_at == posts[0].created_at
    assert "lumen-hub" in {p.slug for p in angry.products.all()}
    assert angry.event  # something happened
    assert "ask" in question.intents
    assert "complain" in refund.intents or "threaten_to_leave" in refund.intents
    for row in rows.values():  # the emotion given, or "unsure" when no emotion is likely enough
        scores = row.emotion_scores
        if row.emotion == "unsure":
            assert max(scores.values()) < UNSURE_BELOW["emotion"]
        else:
            assert scores[row.emotion] == max(scores.values()) >= UNSURE_BELOW["emotion"]


def test_unsure_labels_are_stored_as_unsure_and_left_out_of_the_counts(
    cast: Cast, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cluetrain.listening.queries import totals
    from cluetrain.listening.rollup import complaints

    posts = _posts(cast, places, 4)
    # As if the reader were never sure enough about sentiment.
    monkeypatch.setitem(UNSURE_BELOW, "sentiment", 1.01)
    enrich_pending()
    rows = Enrichment.objects.filter(post__in=posts)
    assert set(rows.values_list("sentiment", flat=True)) == {"unsure"}
    assert all(score != 0 for score in rows.values_list("sentiment_score", flat=True))
    assert not complaints().exists()
    assert totals(rows) == {"negative": 0, "neutral": 0, "positive": 0, "unsure": 4, "all": 4}


def test_unsure_intents_and_events_are_stored_as_unsure_and_left_out_of_the_counts(
    cast: Cast, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cluetrain.listening.queries import trifecta
    from cluetrain.listening.rollup import complaints

    posts = _posts(cast, places, 4)
    # As if the experience reader were never sure enough of a main intent or an event.
    monkeypatch.setitem(UNSURE_BELOW, "intent", 1.01)
    monkeypatch.setitem(UNSURE_BELOW, "event", 1.01)
    enrich_pending()
    rows = Enrichment.objects.filter(post__in=posts)
    assert set(rows.values_list("intent", flat=True)) <= {"unsure", ""}
    assert set(rows.values_list("event", flat=True)) <= {"unsure", ""}
    assert rows.filter(intent="unsure").exists()
    assert not complaints().filter(event="unsure", intent="unsure").exists()
    for row in trifecta(rows):
        assert all(name != "unsure" for name, _ in row.events + row.intents)


def test_second_run_writes_nothing_and_a_new_version_rereads(
    cast: Cast, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    _posts(cast, places, 3)
    enrich_pending()
    first = {e.post_id: e.enriched_at for e in Enrichment.objects.all()}
    assert enrich_pending() == 0
    assert {e.post_id: e.enriched_at for e in Enrichment.objects.all()} == first
    monkeypatch.setattr(readers, "PIPELINE_VERSION", "test-next")
    forget_readers()
    assert count_pending() == 3
    assert enrich_pending() == 3
    assert set(Enrichment.objects.values_list("model_version", flat=True)) == {
        current_readers().version
    }
    assert Enrichment.objects.count() == 3
    # Aspects and products are replaced, not duplicated, by the second reading.
    assert EnrichmentAspect.objects.values("enrichment", "aspect").distinct().count() == (
        EnrichmentAspect.objects.count()
    )


def test_a_crash_mid_batch_keeps_finished_batches_and_the_rerun_completes(
    cast: Cast, places: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    _posts(cast, places, 5)
    real_write = enrichment._write
    calls = {"n": 0}

    def dies_in_second_batch(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            real_write(*args, **kwargs)  # type: ignore[arg-type]
            raise RuntimeError("worker killed")
        real_write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(enrichment, "_write", transaction.atomic(dies_in_second_batch))
    with pytest.raises(RuntimeError):
        enrich_pending(batch_size=2)
    assert Enrichment.objects.count() == 2  # the first batch; the second rolled back whole
    monkeypatch.setattr(enrichment, "_write", real_write)
    assert enrich_pending(batch_size=2) == 3
    assert Enrichment.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_new_post_is_read_after_commit(cast: Cast, places: Places) -> None:
    post = _thread(cast.alice, places.forum, "Broken", TEXTS[0])
    assert Enrichment.objects.filter(post=post).exists()


@pytest.mark.django_db(transaction=True)
def test_listening_can_be_turned_off(cast: Cast, places: Places, settings: object) -> None:
    settings.LISTENING_ENRICH = False  # type: ignore[attr-defined]
    post = _thread(cast.alice, places.forum, "Broken", TEXTS[0])
    assert not Enrichment.objects.filter(post=post).exists()
    with transaction.atomic():
        pass
    assert count_pending() == 1


@pytest.mark.django_db(transaction=True)
def test_an_edited_post_is_read_again(cast: Cast, places: Places) -> None:
    post = _thread(cast.alice, places.forum, "Setup", TEXTS[1])
    assert Enrichment.objects.get(post=post).sentiment == "positive"
    do_edit_post(cast.alice, post, body_md=TEXTS[3])
    assert Enrichment.objects.get(post=post).sentiment == "negative"


def test_messages_to_another_brand_are_read_as_theirs_and_left_out(
    cast: Cast, places: Places, settings: Settings
) -> None:
    from cluetrain.listening.queries import MessageFilter
    from cluetrain.listening.rollup import complaints
    from cluetrain.sources.models import ExternalIdentity, Source

    source = Source.objects.create(slug="twitter", name="Twitter", kind="social")
    for handle in ("AmazonHelp", "LumenCares"):
        ExternalIdentity.objects.create(
            source=source, external_id=handle, handle=handle, is_brand_account=True
        )
    settings.LISTENING_OWN_ACCOUNTS = ["LumenCares"]
    theirs = _thread(cast.alice, places.forum, "Parcel", "@AmazonHelp " + TEXTS[0])
    ours = _thread(cast.bob, places.forum, "Hub", "@LumenCares " + TEXTS[0])
    enrich_pending()
    read = {e.post_id: e for e in Enrichment.objects.all()}
    assert read[theirs.pk].elsewhere == "amazonhelp"
    assert read[ours.pk].elsewhere == ""
    assert set(complaints().values_list("post_id", flat=True)) == {ours.pk}
    shown = MessageFilter.from_query({}).queryset(cast.sam)
    assert set(shown.values_list("post_id", flat=True)) == {ours.pk}


def test_the_company_s_own_voice_gets_no_intent_and_no_event(cast: Cast, places: Places) -> None:
    """docs/experience.md: a staff account's messages are never inbound. A staff apology that
    repeats the customer's problem is not a complaint, nor a root issue's message."""
    from cluetrain.listening.rollup import complaints

    opening = _thread(cast.alice, places.forum, "Hub trouble", TEXTS[0])
    apology = do_reply(
        cast.sam,
        opening.thread,
        body_md="So sorry, the Lumen Hub keeps dropping wifi after the update for some of you. "
        "Refund refused was our mistake, it is terrible and we are fixing it.",
    )
    assert apology.is_staff_reply
    enrich_pending()
    staff = Enrichment.objects.get(post=apology)
    assert (staff.intent, staff.intents, staff.event) == ("", [], "")
    customer = Enrichment.objects.get(post=opening)
    assert customer.intent  # customers' messages are read as before
    assert customer.event
    assert set(complaints().values_list("post_id", flat=True)) == {opening.pk}
