"""Notifications are put into words when they are read, in the reader's language: the inbox and
the API in the request's, e-mails in the one the member chose on the site."""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from cluetrain.core.sentences import Sentence
from cluetrain.exports.ownership import REMOVED_TITLE, do_delete_account
from cluetrain.members.actions import check_follow
from cluetrain.members.models import Member
from cluetrain.notifications import emails
from cluetrain.notifications.actions import check_set_email_frequency, do_notify
from cluetrain.notifications.mailing import do_send_notification_email
from cluetrain.notifications.models import Frequency, Notification
from cluetrain.notifications.tasks import reply_sentence
from cluetrain.orders.notices import won_text
from cluetrain.threads.actions import check_create_thread, check_reply
from conftest import PASSWORD, Cast, Places

FRENCH = {settings.LANGUAGE_COOKIE_NAME: "fr"}
OnCommit = Callable[..., Any]


def _reply_to_alice(cast: Cast, places: Places, on_commit: OnCommit) -> Notification:
    thread = check_create_thread(cast.alice, places.forum, title="Hub blinks", body_md="Why?")
    with on_commit(execute=True):
        check_reply(cast.bob, thread, body_md="Same here.")
    return Notification.objects.get(recipient=cast.alice, kind=Notification.Kind.REPLY)


def test_a_reply_reads_in_each_readers_language_whatever_language_wrote_it(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with translation.override("fr"):  # the replier used the French site
        notification = _reply_to_alice(cast, places, django_capture_on_commit_callbacks)
    assert notification.text == "Bob Baker replied in “Hub blinks”"  # the record: the site's
    assert notification.as_text() == "Bob Baker replied in “Hub blinks”"
    with translation.override("fr"):
        assert notification.as_text() == "Bob Baker a répondu dans « Hub blinks »"


def test_the_inbox_and_the_api_speak_the_requests_language(
    cast: Cast, places: Places, client: Client, django_capture_on_commit_callbacks: OnCommit
) -> None:
    _reply_to_alice(cast, places, django_capture_on_commit_callbacks)
    client.force_login(cast.alice)
    english = client.get("/notifications/").content.decode()
    assert "Bob Baker replied in “Hub blinks”" in english
    client.cookies.load(FRENCH)
    french = client.get("/notifications/").content.decode()
    assert "Bob Baker a répondu dans « Hub blinks »" in french
    assert "replied in" not in french
    items = client.get("/api/notifications").json()["items"]
    assert items[0]["text"] == "Bob Baker a répondu dans « Hub blinks »"


def test_plural_sentences_follow_the_readers_plural_rules() -> None:
    one, three = won_text(1), won_text(3)
    assert one.render() == "You won 1 order: ship it from your order board."
    assert three.render() == "You won 3 orders: ship them from your order board."
    with translation.override("fr"):
        assert Sentence.from_json(three.to_json()) == three
        assert "3 commandes" in three.render()
        assert "1 commande " in one.render()


def test_a_status_label_inside_a_sentence_is_translated_too() -> None:
    changed = Sentence(
        "“%(title)s” is now %(status)s: %(explanation)s",
        {"title": "Dark mode", "status": "Planned", "explanation": "Next release."},
        translated=("status",),
    )
    assert changed.render() == "“Dark mode” is now Planned: Next release."
    with translation.override("fr"):
        said = changed.render()
    assert "Prévue" in said, said
    assert "Planned" not in said
    assert "Next release." in said


def test_a_translation_that_breaks_its_placeholders_falls_back_to_english() -> None:
    broken = Sentence("%(name)s started following you", {})  # a value missing
    with pytest.raises(KeyError):
        broken.render()
    ok = Sentence("%(name)s started following you", {"name": "Bob"})
    with translation.override("fr"):
        assert "Bob" in ok.render()


def test_long_values_are_cut_and_the_sentence_too() -> None:
    sentence = Sentence("%(name)s wants to connect", {"name": "x" * 1000})
    assert len(str(sentence.values["name"])) == 300
    assert len(sentence.render()) == 300


def test_the_language_chooser_is_remembered_on_the_account_and_used_at_sign_in(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.alice)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.language == "fr"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not a language of ours
    cast.alice.refresh_from_db()
    assert cast.alice.language == "fr"

    fresh = Client()  # another browser: no cookie yet
    signed_in = fresh.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert 'lang="fr"' in fresh.get("/").content.decode()


def test_an_anonymous_visitor_choosing_a_language_changes_no_account(
    cast: Cast, client: Client
) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert not Member.objects.exclude(language="").exists()


def test_emails_are_written_in_the_language_the_member_chose(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    Member.objects.filter(pk=cast.alice.pk).update(language="fr")
    check_set_email_frequency(cast.alice, Frequency.OFF)  # sent by hand below
    notification = _reply_to_alice(cast, places, django_capture_on_commit_callbacks)
    check_set_email_frequency(cast.alice, Frequency.IMMEDIATELY)
    assert do_send_notification_email(notification.pk)
    [message] = mail.outbox
    assert "Bob Baker a répondu dans « Hub blinks »" in message.subject
    assert "Bonjour" in message.body
    assert "replied in" not in message.body
    assert translation.get_language() == settings.LANGUAGE_CODE  # the worker is left as it was


def test_a_digest_is_written_in_the_members_language(
    cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit
) -> None:
    Member.objects.filter(pk=cast.alice.pk).update(language="fr")
    cast.alice.refresh_from_db()
    notification = _reply_to_alice(cast, places, django_capture_on_commit_callbacks)
    start = notification.created_at.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1)
    digest = emails.build_digest(cast.alice, start, end)
    assert digest.notifications[0][0] == "Bob Baker a répondu dans « Hub blinks »"
    message = emails.digest_message(cast.alice, Frequency.DAILY, start, digest)
    assert "quotidien" in message.subject, message.subject
    assert "Your daily digest" not in message.body


def test_a_follow_from_the_api_reads_in_french_for_a_french_reader(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        check_follow(cast.bob, cast.alice)
    client.force_login(cast.alice)
    client.cookies.load(FRENCH)
    items = client.get("/api/notifications").json()["items"]
    assert [item["text"] for item in items] == ["Bob Baker vous suit désormais"]


def test_erasing_an_account_removes_its_titles_from_others_sentences(
    cast: Cast, places: Places
) -> None:
    thread = check_create_thread(cast.bob, places.forum, title="Bob's secret", body_md="?")
    do_notify(
        recipient_id=cast.alice.pk,
        kind=Notification.Kind.REPLY,
        dedupe_key="reply:x",
        actor_id=cast.sam.pk,
        thread_id=thread.pk,
        sentence=reply_sentence(cast.sam.name, thread.title),
    )
    [told] = Notification.objects.filter(recipient=cast.alice)
    assert "Bob's secret" in told.as_text()
    do_delete_account(cast.bob, posts="remove")
    told.refresh_from_db()
    for language in ("en", "fr"):
        with translation.override(language):
            assert "Bob's secret" not in told.as_text()
            assert REMOVED_TITLE in told.as_text()
