"""The dashboard's From/Until period: both days included, as the form reads."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cluetrain.listening.models import Enrichment
from cluetrain.listening.queries import MessageFilter
from cluetrain.threads.models import Post
from conftest import PASSWORD, Cast


def test_until_includes_its_day(cast: Cast, read: Post) -> None:
    day = timezone.localdate(Enrichment.objects.get(post=read).created_at).isoformat()
    one_day = MessageFilter(since=day, until=day)
    assert read.pk in set(one_day.queryset(cast.sam).values_list("post_id", flat=True))
    before = (timezone.localdate() - timedelta(days=400)).isoformat()
    earlier = MessageFilter(since=before, until=before)
    assert not earlier.queryset(cast.sam).exists()


def test_a_chart_bar_links_to_exactly_its_period(cast: Cast, read: Post) -> None:
    client = Client()
    assert client.login(username=cast.sam.username, password=PASSWORD)
    page = client.get(reverse("listening")).content.decode()
    month = timezone.localdate().replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    last_day = following - timedelta(days=1)
    assert f"since={month.isoformat()}&amp;until={last_day.isoformat()}" in page


def test_the_message_list_names_its_filters_in_the_page_s_language(cast: Cast, read: Post) -> None:
    client = Client()
    assert client.login(username=cast.sam.username, password=PASSWORD)
    client.cookies["django_language"] = "fr"
    day = timezone.localdate().isoformat()
    page = client.get(
        reverse("listening_messages"), {"since": day, "until": day, "sentiment": "negative"}
    ).content.decode()
    assert f'<span class="tag">Au: {day}</span>' in page
    assert '<span class="tag">Sentiment: négative</span>' in page
    assert "until:" not in page
