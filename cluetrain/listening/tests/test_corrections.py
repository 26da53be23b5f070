"""Staff correct or confirm labels: at once, through re-reads, counted as agreement."""

import pytest
from django.test import Client
from django.urls import reverse

from cluetrain.listening import readers
from cluetrain.listening.corrections import agreement, check_correct_labels
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import Enrichment, LabelCorrection
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.refresh import corpus
from cluetrain.listening.rollup import complaints
from cluetrain.threads.models import Post
from conftest import PASSWORD, Cast


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_correction_applies_at_once_and_survives_a_re_read(
    cast: Cast, read: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrichment = Enrichment.objects.get(post=read)
    machine = enrichment.sentiment
    assert machine == "negative"
    assert read.pk in set(complaints().values_list("post_id", flat=True))
    check_correct_labels(cast.sam, read, {"sentiment": "neutral", "intent": "ask"})
    enrichment.refresh_from_db()
    assert (enrichment.sentiment, enrichment.intent) == ("neutral", "ask")
    stored = LabelCorrection.objects.get(post=read, label="sentiment")
    assert (stored.machine_value, stored.value, stored.by) == ("negative", "neutral", cast.sam)
    assert read.pk not in set(complaints().values_list("post_id", flat=True))
    # A new reader version re-reads every message: staff's labels stay.
    monkeypatch.setattr(readers, "PIPELINE_VERSION", "test-reread")
    forget_readers()
    assert enrich_pending() == 1
    enrichment.refresh_from_db()
    assert enrichment.model_version.startswith("ptest-reread")
    assert (enrichment.sentiment, enrichment.intent) == ("neutral", "ask")
    # Correcting again keeps what the reader first said.
    check_correct_labels(cast.sam, read, {"sentiment": "positive"})
    assert LabelCorrection.objects.get(post=read, label="sentiment").machine_value == "negative"


def test_agreement_counts_confirmed_labels(cast: Cast, read: Post) -> None:
    enrichment = Enrichment.objects.get(post=read)
    check_correct_labels(
        cast.sam, read, {"sentiment": enrichment.sentiment, "emotion": enrichment.emotion}
    )
    check_correct_labels(cast.sam, read, {"event": "hub drops wifi"})
    figures = agreement()
    assert figures["sentiment"].agreed == figures["sentiment"].checked == 1
    assert figures["all"].checked == 3
    assert figures["all"].agreed == 2 + (enrichment.event == "hub drops wifi")


def test_a_product_correction_teaches_the_next_refit(cast: Cast, read: Post) -> None:
    check_correct_labels(cast.sam, read, {"product": ""})
    assert not Enrichment.objects.get(post=read).products.exists()
    found = corpus()
    assert found.products[found.ids.index(read.pk)] == []


def test_the_page_is_for_staff_and_bad_labels_write_nothing(cast: Cast, read: Post) -> None:
    url = reverse("listening_labels", args=[read.pk])
    assert _client("alice").get(url).status_code == 403
    staff = _client("sam")
    page = staff.get(url)
    assert page.status_code == 200
    assert b'name="sentiment"' in page.content
    refused = staff.post(url, {"sentiment": "furious", "emotion": "anger"})
    assert refused.status_code == 400
    assert "is not a sentiment label" in refused.content.decode()
    assert not LabelCorrection.objects.exists()
    saved = staff.post(
        url,
        {"sentiment": "negative", "emotion": "anger", "intent": "complain", "event": "wifi drops"},
    )
    assert saved.status_code == 302
    assert LabelCorrection.objects.filter(post=read).count() == 6  # every label was checked
    dashboard = staff.get(reverse("listening")).content.decode()
    assert "Labels checked by staff: 6" in dashboard
