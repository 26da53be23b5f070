"""The home feed names a thread's author as the thread page does: a member, an outside
author for imported threads, or "Deleted member" when the account is gone."""

from django.test import Client
from django.utils import timezone

from cluetrain.exports.ownership import do_delete_account
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.threads.actions import do_create_thread
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places


def test_feed_says_deleted_member_and_imported_apart(
    cast: Cast, places: Places, client: Client
) -> None:
    do_create_thread(cast.alice, places.forum, title="Alice asks", body_md="x", kind="discussion")
    do_create_thread(cast.bob, places.forum, title="Bob asks", body_md="x", kind="discussion")
    source = Source.objects.create(slug="twitter", name="Twitter", kind=Source.Kind.SOCIAL)
    outsider = ExternalIdentity.objects.create(source=source, external_id="1", handle="@dana")
    now = timezone.now()
    imported = Thread.objects.create(
        space=places.forum,
        title="Tweet thread",
        kind=Thread.Kind.CONVERSATION,
        created_at=now,
        last_activity_at=now,
    )
    Post.objects.create(
        thread=imported,
        source=source,
        external_author=outsider,
        external_id="t1",
        body_md="hub down",
        body_html="<p>hub down</p>",
        created_at=now,
    )
    do_delete_account(cast.alice, posts="anonymize")

    content = client.get("/").content.decode()
    rows = {
        title: content.split(title, 1)[1].split("</li>", 1)[0]
        for title in ("Alice asks", "Bob asks", "Tweet thread")
    }
    assert "Deleted member" in rows["Alice asks"]
    assert "imported" not in rows["Alice asks"]
    assert "imported" in rows["Tweet thread"]
    assert "Bob Baker" in rows["Bob asks"]
