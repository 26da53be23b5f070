"""Staff retrain the community's sentiment and emotion heads from the labels they checked."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cluetrain.core.errors import ActionError
from cluetrain.listening.corrections import check_correct_labels
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import Enrichment, FittedModel
from cluetrain.listening.readers import LABELS, current_readers, forget_readers
from cluetrain.listening.retrain import check_retrain, do_retrain
from cluetrain.threads.actions import do_create_thread
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.text.community import MIN_CORRECTIONS
from conftest import PASSWORD, Cast, Places

# A kind of message the shipped tier reads as negative (the words of a broken device) that
# this community means as praise of its repair plan.
PRAISE = [
    "Care+ paid for itself when my doorbell died: replaced in two days",
    "Care+ paid for itself again, the camera died and a new one came in two days",
    "My plug died and Care+ replaced it, it paid for itself",
    "Care+ paid for itself: the hub died, swapped in 2 days",
    "The doorbell died last week, Care+ had a replacement here in two days",
    "Care+ paid for itself when the thermostat died",
    "Thermostat died, Care+ replaced it in two days. Paid for itself",
    "Care+ replaced my dead camera in two days",
    "Doorbell died on friday, Care+ swapped it monday",
    "Camera died, Care+ sent a new one in two days, worth it",
    "Care+ paid for itself the day my sensor died",
    "Sensor died and Care+ replaced it within two days",
]
OTHERS = [
    "My order is late again and nobody answers",
    "The battery died after the update, so annoying",
    "How do I reset the hub to factory settings?",
    "Love the new lights, setup took a minute",
    "Wifi keeps dropping every evening",
]
UNSEEN = "Care+ paid for itself, my lock died and they replaced it in two days"


def _post(cast: Cast, places: Places, text: str) -> Post:
    thread = do_create_thread(
        cast.alice, places.forum, title="", body_md=text, kind=Thread.Kind.DISCUSSION
    )
    return thread.posts.get()


@pytest.fixture
def posts(cast: Cast, places: Places) -> list[Post]:
    forget_readers()
    found = [_post(cast, places, text) for text in PRAISE + OTHERS]
    enrich_pending()
    return found


def _correct_praise(cast: Cast, posts: list[Post], n: int = len(PRAISE)) -> None:
    for post in posts[:n]:
        check_correct_labels(cast.sam, post, {"sentiment": "positive"})


def _sentiment(post: Post) -> str:
    return Enrichment.objects.get(post=post).sentiment


def test_a_corrected_kind_of_message_changes_label_after_retraining(
    cast: Cast, places: Places, posts: list[Post]
) -> None:
    before = _post(cast, places, UNSEEN)
    enrich_pending()
    assert _sentiment(before) == "negative"
    other_before = {post.pk: _sentiment(post) for post in posts[len(PRAISE) :]}
    _correct_praise(cast, posts)
    row = do_retrain(folds=3)
    assert row.kind == LABELS
    assert row.corpus_size == len(PRAISE)
    assert row.report["sentiment"]["n"] == len(PRAISE)
    report = row.report["sentiment"]
    assert report["shipped_accuracy"] < report["held_out_accuracy"]
    assert "emotion" not in row.report  # no emotion was checked
    assert f"+labels{row.pk}|" in current_readers().version
    enrich_pending()
    assert _sentiment(before) == "positive"
    after = _post(cast, places, UNSEEN.replace("lock", "siren"))
    enrich_pending()
    assert _sentiment(after) == "positive"
    # The messages nobody corrected keep the shipped reading.
    assert {post.pk: _sentiment(post) for post in posts[len(PRAISE) :]} == other_before


def test_without_corrections_nothing_changes(cast: Cast, posts: list[Post]) -> None:
    version = current_readers().version
    readings = {post.pk: _sentiment(post) for post in posts}
    with pytest.raises(ActionError) as refused:
        check_retrain(cast.sam)
    assert refused.value.status == 409
    assert refused.value.message == (
        "Too few labels checked by staff to retrain: 0 of sentiment and 0 of emotion; "
        f"at least {MIN_CORRECTIONS} of one of them are needed."
    )
    with pytest.raises(ActionError):
        do_retrain()
    with pytest.raises(CommandError, match="Too few labels checked by staff"):
        call_command("listening", "retrain", "--no-read")
    assert not FittedModel.objects.filter(kind=LABELS).exists()
    forget_readers()
    assert current_readers().version == version
    assert enrich_pending() == 0
    assert {post.pk: _sentiment(post) for post in posts} == readings


def test_too_few_corrections_are_refused(cast: Cast, posts: list[Post]) -> None:
    _correct_praise(cast, posts, MIN_CORRECTIONS - 1)
    with pytest.raises(ActionError, match=f"{MIN_CORRECTIONS - 1} of sentiment and 0 of emotion"):
        check_retrain(cast.sam)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_only_staff_retrain(cast: Cast, posts: list[Post]) -> None:
    _correct_praise(cast, posts)
    url = reverse("listening_retrain")
    assert Client().post(url).status_code == 302  # to sign in
    assert _client(cast.alice.username).post(url).status_code == 403
    with pytest.raises(ActionError) as refused:
        check_retrain(cast.alice)
    assert refused.value.status == 403
    assert not FittedModel.objects.filter(kind=LABELS).exists()
    staff = _client(cast.sam.username)
    assert staff.get(url).status_code == 405
    response = staff.post(url, follow=True)
    assert response.redirect_chain == [(reverse("listening"), 302)]
    row = FittedModel.objects.get(kind=LABELS)
    held_out = round(100 * row.report["sentiment"]["held_out_accuracy"], 1)
    page = response.content.decode()
    assert "Retraining sentiment and emotion from staff&#x27;s labels" in page
    assert f"sentiment {held_out} % right on {len(PRAISE)} held-out checked labels" in page
    # Read again with the new heads by the task that retrained.
    assert (
        Enrichment.objects.get(post=posts[0])
        .model_version.split("|")[1]
        .endswith(f"+labels{row.pk}")
    )


def test_staff_are_told_when_there_are_too_few(cast: Cast, posts: list[Post]) -> None:
    response = _client(cast.sam.username).post(reverse("listening_retrain"), follow=True)
    assert "Too few labels checked by staff to retrain" in response.content.decode()
    assert "Sentiment and emotion are read by the shipped model." in response.content.decode()
    assert not FittedModel.objects.filter(kind=LABELS).exists()


def test_the_command_retrains_and_reads_again(
    cast: Cast, posts: list[Post], capsys: pytest.CaptureFixture[str]
) -> None:
    _correct_praise(cast, posts)
    call_command("listening", "retrain", "--folds", "2")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    row = FittedModel.objects.get(kind=LABELS)
    assert (summary["model"], summary["version"]) == (row.pk, row.version)
    assert summary["read"] == len(PRAISE) + len(OTHERS)
    assert summary["sentiment"]["folds"] == 2
    assert all(_sentiment(post) == "positive" for post in posts[: len(PRAISE)])
    with pytest.raises(CommandError, match="--folds must be at least 2"):
        call_command("listening", "retrain", "--folds", "1")
