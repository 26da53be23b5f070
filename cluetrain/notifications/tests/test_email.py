"""E-mail notifications: preferences, immediate e-mails, digests, one-click unsubscribe."""

from collections.abc import Callable
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from cluetrain.core.sentences import Sentence
from cluetrain.members.models import Member
from cluetrain.moderation.actions import check_moderate_thread
from cluetrain.notifications import emails
from cluetrain.notifications.actions import check_set_email_frequency, do_notify
from cluetrain.notifications.mailing import do_send_digest
from cluetrain.notifications.models import DigestSent, EmailPreference, Frequency, Notification
from cluetrain.spaces.actions import check_follow_space
from cluetrain.threads.actions import check_create_thread, check_reply
from conftest import PASSWORD, Cast, Places

OnCommit = Callable[..., Any]


def _window() -> tuple[datetime, datetime]:
    now = timezone.now()
    return now - timedelta(hours=1), now + timedelta(hours=1)


def _unsubscribe_link(message: mail.EmailMessage) -> str:
    header = str(message.extra_headers["List-Unsubscribe"])
    assert header.startswith("<")
    assert header.endswith(">")
    return header[1:-1].split("127.0.0.1:8000", 1)[-1].split("testserver", 1)[-1]


# --- Immediate e-mails --------------------------------------------------------------------


def test_immediate_preference_sends_one_email_with_unsubscribe_headers(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    check_set_email_frequency(cast.alice, Frequency.IMMEDIATELY)
    thread = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.bob, thread, body_md="Same here.")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    message = mail.outbox[0]
    assert "Hub blinks" in message.body
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The task run again (a worker killed after sending) sends nothing more.
    from cluetrain.notifications.mailing import send_notification_email

    for notification in Notification.objects.filter(recipient=cast.alice):
        send_notification_email.call(notification.pk)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("frequency", [Frequency.OFF, Frequency.DAILY, Frequency.WEEKLY])
def test_other_preferences_send_no_immediate_email(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit, frequency: str
) -> None:
    check_set_email_frequency(cast.alice, frequency)
    thread = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.bob, thread, body_md="Same here.")
    assert Notification.objects.filter(recipient=cast.alice).count() == 1
    assert mail.outbox == []


def test_immediate_email_is_not_sent_once_the_thread_became_staff_only(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    check_set_email_frequency(cast.alice, Frequency.IMMEDIATELY)
    thread = check_create_thread(cast.alice, places.forum, title="Refund for Acme", body_md="?")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = do_notify(
            recipient_id=cast.alice.pk,
            kind=Notification.Kind.REPLY,
            dedupe_key="reply:x",
            actor_id=cast.bob.pk,
            thread_id=thread.pk,
            sentence=Sentence("Bob replied in “Refund for Acme”"),
        )
    assert made
    assert len(callbacks) == 1
    # The thread moves to the staff room before the worker gets to the e-mail.
    check_moderate_thread(cast.maya, thread, action="move", to_space=places.staff_room)
    callbacks[0]()
    assert Notification.objects.filter(recipient=cast.alice).exists()
    assert mail.outbox == []


# --- Digests ------------------------------------------------------------------------------


def test_digest_lists_followed_space_threads_and_replies_visible_to_the_member(
    cast: Cast, places: Places
) -> None:
    check_follow_space(cast.alice, places.forum, follow=True)
    check_follow_space(cast.maya, places.staff_room, follow=True)
    mine = check_create_thread(cast.alice, places.qa, title="My own question", body_md="?")
    check_reply(cast.bob, mine, body_md="An answer.")
    check_create_thread(cast.bob, places.forum, title="Public news", body_md="Hello")
    check_create_thread(cast.sam, places.staff_room, title="Internal pricing", body_md="x")
    hidden = check_create_thread(cast.bob, places.forum, title="Spam thread", body_md="x")
    check_moderate_thread(cast.maya, hidden, action="hide")
    moved = check_create_thread(cast.bob, places.forum, title="Moved away", body_md="x")
    check_moderate_thread(cast.maya, moved, action="move", to_space=places.staff_room)

    start, end = _window()
    digest = emails.build_digest(cast.alice, start, end)
    titles = [t.title for t in digest.new_threads]
    assert titles == ["Public news"]
    assert [(t.title, t.replies) for t in digest.active_threads] == [("My own question", 1)]
    assert do_send_digest(cast.alice, Frequency.DAILY, start, end) == digest.items
    body = mail.outbox[0].body
    assert "Public news" in body
    assert "My own question" in body
    for secret in ("Internal pricing", "Spam thread", "Moved away"):
        assert secret not in body
    # Staff who follow the staff room get its threads.
    staff = [t.title for t in emails.build_digest(cast.maya, start, end).new_threads]
    assert set(staff) == {"Internal pricing", "Moved away"}


def test_digest_drops_a_notification_whose_thread_moved_out_of_reach(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    thread = check_create_thread(cast.alice, places.forum, title="Acme refund", body_md="?")
    with django_capture_on_commit_callbacks(execute=True):
        check_reply(cast.bob, thread, body_md="Reply")
    assert Notification.objects.filter(recipient=cast.alice).count() == 1
    check_moderate_thread(cast.maya, thread, action="move", to_space=places.staff_room)
    start, end = _window()
    digest = emails.build_digest(cast.alice, start, end)
    assert digest.items == 0
    assert do_send_digest(cast.alice, Frequency.DAILY, start, end) == 0
    assert mail.outbox == []


def test_digest_command_sends_each_period_once_and_respects_preferences(
    cast: Cast, places: Places, settings: Settings
) -> None:
    settings.NOTIFICATION_EMAIL_DEFAULT = Frequency.DAILY
    for member in (cast.alice, cast.bob, cast.pat):
        check_follow_space(member, places.forum, follow=True)
    check_set_email_frequency(cast.bob, Frequency.OFF)
    check_set_email_frequency(cast.pat, Frequency.WEEKLY)
    check_create_thread(cast.sam, places.forum, title="Firmware 2.1 is out", body_md="Notes")
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("digests", "--frequency", "daily", "--now", tomorrow, stdout=out)
    assert "1 sent" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "Firmware 2.1 is out" in mail.outbox[0].body
    call_command("digests", "--frequency", "daily", "--now", tomorrow, stdout=out)
    assert len(mail.outbox) == 1  # the period was sent: a second run sends nothing
    assert DigestSent.objects.filter(member=cast.alice).count() == 1
    # Pat's weekly digest covers the last complete week, which is not the day just past
    # unless it was a Sunday: sent at most once too.
    next_week = (timezone.now() + timedelta(days=7)).isoformat()
    call_command("digests", "--frequency", "weekly", "--now", next_week, stdout=out)
    call_command("digests", "--frequency", "weekly", "--now", next_week, stdout=out)
    assert [m.to for m in mail.outbox].count(["pat@example.com"]) == 1
    assert ["bob@example.com"] not in [m.to for m in mail.outbox]


def test_digest_command_refuses_a_bad_time(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("digests", "--now", "yesterday")


# --- Unsubscribe --------------------------------------------------------------------------


def _mail_alice(cast: Cast, places: Places, on_commit: OnCommit) -> mail.EmailMessage:
    check_set_email_frequency(cast.alice, Frequency.IMMEDIATELY)
    thread = check_create_thread(cast.alice, places.forum, title="Hub", body_md="?")
    with on_commit(execute=True):
        check_reply(cast.bob, thread, body_md="Reply")
    return mail.outbox[-1]


def test_one_click_unsubscribe_works_once_without_signing_in(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    link = _unsubscribe_link(_mail_alice(cast, places, django_capture_on_commit_callbacks))
    client = Client(enforce_csrf_checks=True)
    page = client.get(link)
    assert page.status_code == 200
    assert b"Unsubscribe from all e-mails" in page.content
    assert emails.frequency_of(cast.alice.pk) == Frequency.IMMEDIATELY  # GET changes nothing
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, no cookie, no CSRF token.
    done = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    assert emails.frequency_of(cast.alice.pk) == Frequency.OFF
    # The member turns e-mail back on; the old link does not turn it off again.
    check_set_email_frequency(cast.alice, Frequency.DAILY)
    again = client.post(link)
    assert again.status_code == 410
    assert b"already been used" in again.content
    assert emails.frequency_of(cast.alice.pk) == Frequency.DAILY


def test_forged_or_tampered_unsubscribe_tokens_are_refused(cast: Cast) -> None:
    client = Client()
    real = emails.unsubscribe_token(cast.alice.pk)
    forged = signing.dumps({"m": cast.bob.pk, "v": 0}, salt="another salt", compress=True)
    tampered = real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB")
    for token in (forged, tampered, "not-a-token"):
        response = client.post(reverse("unsubscribe", args=[token]))
        assert response.status_code == 400, token
        assert b"not valid" in response.content
        assert client.get(reverse("unsubscribe", args=[token])).status_code == 400
    assert not EmailPreference.objects.exists()


# --- The settings page --------------------------------------------------------------------


def test_email_settings_page_saves_a_choice_and_refuses_a_bad_one(cast: Cast) -> None:
    client = Client()
    assert client.get(reverse("email_settings")).status_code == 302  # sign in first
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("email_settings"))
    assert page.status_code == 200
    assert b"A weekly digest" in page.content
    bad = client.post(reverse("email_settings"), {"frequency": "hourly"})
    assert bad.status_code == 400
    assert not EmailPreference.objects.exists()
    saved = client.post(reverse("email_settings"), {"frequency": "weekly"})
    assert saved.status_code == 302
    assert emails.frequency_of(cast.alice.pk) == Frequency.WEEKLY


def test_digest_recipients_follow_the_default(cast: Cast, settings: Settings) -> None:
    check_set_email_frequency(cast.bob, Frequency.WEEKLY)
    Member.objects.filter(pk=cast.pat.pk).update(email="")
    settings.NOTIFICATION_EMAIL_DEFAULT = Frequency.DAILY
    daily = set(emails.digest_recipients(Frequency.DAILY).values_list("username", flat=True))
    assert daily == {"alice", "sam", "maya", "ada"}
    weekly = set(emails.digest_recipients(Frequency.WEEKLY).values_list("username", flat=True))
    assert weekly == {"bob"}
