"""The reader's labels are codes ("negative", "joy", "threaten_to_leave"); pages show words in
the reader's language, and the message list links each message to its label check."""

import re

from django.test import Client
from django.urls import reverse

from cluetrain.listening.models import Enrichment
from cluetrain.threads.models import Post
from conftest import PASSWORD, Cast


def _french_staff(cast: Cast) -> Client:
    client = Client()
    assert client.login(username=cast.sam.username, password=PASSWORD)
    client.cookies["django_language"] = "fr"
    return client


def test_the_message_list_links_to_the_label_check(cast: Cast, read: Post) -> None:
    client = Client()
    assert client.login(username=cast.sam.username, password=PASSWORD)
    page = client.get(reverse("listening_messages")).content.decode()
    assert reverse("listening_labels", args=[read.pk]) in page


def test_labels_and_charts_speak_french(cast: Cast, read: Post) -> None:
    client = _french_staff(cast)
    page = client.get(reverse("listening_messages")).content.decode()
    badge = re.search(r'class="badge sentiment-negative">([^<]*)<', page)
    assert badge is not None
    assert "négative" in badge.group(1)
    dashboard = client.get(reverse("listening")).content.decode()
    legend = re.search(r'<figcaption class="legend">(.*?)</figcaption>', dashboard, re.S)
    assert legend is not None
    assert "négative" in legend.group(1)
    assert "negative<" not in legend.group(1)
    # SVG numbers are never written the French way ("336,0" is no coordinate).
    coordinates = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', dashboard)
    assert coordinates
    assert all("," not in c for c in coordinates), coordinates[:8]
    titles = re.findall(r"<title>([^<]*)</title>", dashboard.split("<main", 1)[1])
    assert titles
    assert all(" negative " not in t for t in titles), titles
    labels = client.get(reverse("listening_labels", args=[read.pk])).content.decode()
    assert re.search(r'<option value="negative"[^>]*>négative</option>', labels), labels


def test_an_unsure_event_is_not_shown_as_what_happened(cast: Cast, read: Post) -> None:
    Enrichment.objects.filter(post=read).update(event="unsure")
    client = Client()
    assert client.login(username=cast.sam.username, password=PASSWORD)
    page = client.get(reverse("listening_messages")).content.decode()
    assert "<strong>unsure</strong>" not in page
    labels = client.get(reverse("listening_labels", args=[read.pk])).content.decode()
    assert "<strong>unsure</strong>" not in labels


def _labels_line(client: Client) -> str:
    page = client.get(reverse("listening_messages")).content.decode()
    item = page.split('<li class="listened">', 1)[1].split("</li>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", item.split('<p class="small muted">')[1]).split())


def test_what_happened_and_the_products_have_one_separator(cast: Cast, read: Post) -> None:
    # The demo showed "happened: support rude · · Check labels" for a message naming no product.
    enrichment = Enrichment.objects.get(post=read)
    Enrichment.objects.filter(pk=enrichment.pk).update(
        event="support rude", place="", topic=None, root_issue=None
    )
    client = Client()
    assert client.login(username=cast.sam.username, password=PASSWORD)
    products = ", ".join(p.name for p in enrichment.products.all())
    assert products
    assert _labels_line(client) == f"happened: support rude · {products} · Check labels"
    enrichment.products.clear()
    assert _labels_line(client) == "happened: support rude · Check labels"
