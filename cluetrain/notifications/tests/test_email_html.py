"""E-mails are multipart: plain text and an escaped HTML alternative, each with the unsubscribe
link."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from cluetrain.notifications.actions import check_set_email_frequency
from cluetrain.notifications.mailing import do_send_digest
from cluetrain.notifications.models import Frequency
from cluetrain.threads.actions import check_create_thread, check_reply
from conftest import Cast, Places

OnCommit = Callable[..., Any]
TITLE = "Hub <script>alert(1)</script> & co"


def _html(message: mail.EmailMessage) -> str:
    assert isinstance(message, mail.EmailMultiAlternatives)
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert isinstance(content, str)
    return content


def _unsubscribe(message: mail.EmailMessage) -> str:
    return str(message.extra_headers["List-Unsubscribe"])[1:-1]


def test_a_notification_email_has_an_escaped_html_alternative(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    check_set_email_frequency(cast.alice, Frequency.IMMEDIATELY)
    thread = check_create_thread(cast.alice, places.forum, title=TITLE, body_md="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.bob, thread, body_md="Same here.")
    [message] = mail.outbox
    html = _html(message)
    unsubscribe = _unsubscribe(message)
    assert TITLE in message.body  # plain text as written
    assert "<script>" not in html
    assert "Hub &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert f'href="{unsubscribe}"' in html
    assert unsubscribe in message.body
    assert "Same here" not in html  # the text says who replied where, not the reply


def test_a_digest_has_an_html_alternative_with_the_unsubscribe_link(
    cast: Cast, places: Places
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title=TITLE, body_md="?")
    check_reply(cast.bob, thread, body_md="An answer.")
    now = timezone.now()
    assert do_send_digest(
        cast.alice, Frequency.DAILY, now - timedelta(hours=1), now + timedelta(hours=1)
    )
    [message] = mail.outbox
    html = _html(message)
    unsubscribe = _unsubscribe(message)
    assert "Replies in your conversations" in html
    assert "Hub &lt;script&gt;" in html
    assert "<script>" not in html
    assert f'href="{unsubscribe}"' in html
    assert unsubscribe in message.body
    assert "1 new reply" in message.body
