"""The staff dashboards: who may see them, and every number links to the messages behind it."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import Enrichment, RootIssue
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import roll_up
from cluetrain.listening.tests.helpers import complain
from cluetrain.listening.tests.test_root_issues import REFUND, WIFI
from conftest import PASSWORD, Cast, Places


@pytest.fixture
def listened(cast: Cast, places: Places) -> None:
    forget_readers()
    complain(cast, places, WIFI, days_ago=5)
    complain(cast, places, REFUND, days_ago=50)
    enrich_pending()
    roll_up()


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.mark.parametrize("name", ["listening", "listening_messages", "listening_issues"])
def test_only_staff_see_listening(cast: Cast, listened: None, name: str) -> None:
    url = reverse(name)
    assert Client().get(url).status_code == 302  # to the login page
    for customer in ("alice", "pat"):
        assert _client(customer).get(url).status_code == 403
    for staff in ("sam", "maya", "ada"):
        assert _client(staff).get(url).status_code == 200


def test_dashboard_charts_link_to_exactly_the_messages_counted(cast: Cast, listened: None) -> None:
    client = _client("sam")
    page = client.get(reverse("listening")).content.decode()
    assert "<svg" in page
    assert "Top root issues" in page
    # A chart of links is a group (an image may not hold links); each bar's link is named by
    # its figures, for a screen reader.
    assert 'class="chart-wide" role="group" aria-label="Messages per period by sentiment"' in page
    bars = re.findall(
        r'<a href="([^"]+)" aria-label="([^"]+)"><rect[^>]*><title>([^<]+)</title>', page
    )
    assert bars, "the sentiment chart has bars"
    for href, label, title in bars:
        assert label == title
        count = int(re.search(r": (\d+) ", title).group(1))  # type: ignore[union-attr]
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert f"{count} message" in listed.content.decode()
    parser = _Links()
    parser.feed(page)
    negative = [
        h for h in parser.hrefs if parse_qs(urlparse(h).query).get("sentiment") == ["negative"]
    ]
    assert negative
    body = client.get(negative[0]).content.decode()
    expected = Enrichment.objects.filter(sentiment="negative", post__is_staff_reply=False).count()
    assert f"{expected} message" in body


def test_issue_page_acts_and_refuses_bad_input(cast: Cast, listened: None) -> None:
    client = _client("sam")
    issue = RootIssue.objects.order_by("pk").first()
    assert issue is not None
    url = reverse("listening_issue", args=[issue.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert issue.name in page.content.decode()
    blank = client.post(reverse("listening_issue_act", args=[issue.pk, "rename"]), {"name": " "})
    assert blank.status_code == 400
    assert "Give the issue a name" in blank.content.decode()
    renamed = client.post(
        reverse("listening_issue_act", args=[issue.pk, "rename"]), {"name": "Hub Wi-Fi"}
    )
    assert renamed.status_code == 302
    issue.refresh_from_db()
    assert issue.name == "Hub Wi-Fi"
    unknown = client.post(reverse("listening_issue_act", args=[issue.pk, "explode"]))
    assert unknown.status_code == 404
    customer = _client("alice").post(
        reverse("listening_issue_act", args=[issue.pk, "close"]), {"note": "no"}
    )
    assert customer.status_code == 403
    issue.refresh_from_db()
    assert issue.status == RootIssue.Status.OPEN
    closed = client.post(reverse("listening_issue_act", args=[issue.pk, "close"]), {"note": "ok"})
    assert closed.status_code == 302
    issue.refresh_from_db()
    assert issue.status == RootIssue.Status.CLOSED


def test_messages_filter_ignores_garbage(cast: Cast, listened: None) -> None:
    client = _client("sam")
    response = client.get(
        reverse("listening_messages"), {"issue": "abc", "since": "not-a-date", "topic": "1;drop"}
    )
    assert response.status_code == 200
