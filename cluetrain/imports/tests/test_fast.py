"""The import's own INSERT path stores what the ORM would, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, transaction

from cluetrain.imports.fast import insert, select_by_external_id
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.threads.models import Post, Thread
from conftest import Places

WHEN = datetime(2017, 10, 31, 22, 10, 47, 250_000, tzinfo=UTC)


def _thread(places: Places) -> Thread:
    return Thread.objects.create(
        space=places.forum, title="Outside", created_at=WHEN, last_activity_at=WHEN
    )


def test_rows_come_back_as_given_and_omitted_columns_take_their_defaults(
    places: Places,
) -> None:
    source = Source.objects.create(slug="twitter", name="Twitter", kind=Source.Kind.SOCIAL)
    thread = _thread(places)
    author_id, brand_id = insert(
        ExternalIdentity,
        [
            {"source_id": source.pk, "external_id": "a1", "handle": "a1"},
            {
                "source_id": source.pk,
                "external_id": "brand",
                "handle": "Brand",
                "is_brand_account": True,
            },
        ],
    )
    in_paris = timezone(timedelta(hours=1))
    root_id, reply_id = insert(
        Post,
        [
            {
                "thread_id": thread.pk,
                "parent_id": None,
                "external_author_id": author_id,
                "source_id": source.pk,
                "external_id": "1",
                "body_md": "Is it down?",
                "body_html": "<p>Is it down?</p>",
                "is_staff_reply": False,
                "created_at": WHEN,
                "url": "https://example.com/1",
            },
            {
                "thread_id": thread.pk,
                "external_author_id": brand_id,
                "source_id": source.pk,
                "external_id": "2",
                "body_md": "Not here.",
                "body_html": "<p>Not here.</p>",
                "is_staff_reply": True,
                "created_at": (WHEN + timedelta(minutes=5)).astimezone(in_paris),
                # no "url" and no "parent_id": the model's defaults
            },
        ],
    )
    reply_id_again = insert(
        Post,
        [
            {
                "thread_id": thread.pk,
                "parent_id": root_id,
                "external_author_id": author_id,
                "source_id": source.pk,
                "external_id": "3",
                "body_md": "Thanks",
                "body_html": "<p>Thanks</p>",
                "created_at": WHEN + timedelta(minutes=9),
            }
        ],
    )
    assert reply_id_again[0] > reply_id > root_id
    root, reply, thanks = Post.objects.order_by("pk")
    assert (root.pk, reply.pk) == (root_id, reply_id)
    assert root.parent_id is None
    assert thanks.parent_id == root_id
    assert (root.is_staff_reply, reply.is_staff_reply) == (False, True)
    assert root.created_at == WHEN
    assert reply.created_at == WHEN + timedelta(minutes=5)
    assert (root.url, reply.url) == ("https://example.com/1", "")
    assert (reply.is_hidden, reply.is_deleted, reply.score, reply.edited_at) == (
        False,
        False,
        0,
        None,
    )
    brand = ExternalIdentity.objects.get(pk=brand_id)
    assert brand.is_brand_account
    assert brand.member_id is None
    assert not ExternalIdentity.objects.get(pk=author_id).is_brand_account
    assert brand.created_at is not None  # auto_now_add
    assert sorted(
        select_by_external_id(Post, ("external_id", "id"), source.pk, ["1", "3", "9"])
    ) == [("1", root_id), ("3", thanks.pk)]


def test_enum_values_are_stored_as_their_value(places: Places) -> None:
    (thread_id,) = insert(
        Thread,
        [
            {
                "space_id": places.forum.pk,
                "title": "An idea",
                "kind": Thread.Kind.IDEA,
                "created_at": WHEN,
                "last_activity_at": WHEN,
            }
        ],
    )
    assert Thread.objects.filter(kind="idea").get().pk == thread_id


def test_a_missing_required_column_is_refused_and_writes_nothing(places: Places) -> None:
    rows = [
        {
            "space_id": places.forum.pk,
            "title": "Fine",
            "created_at": WHEN,
            "last_activity_at": WHEN,
        },
        {"space_id": places.forum.pk, "title": "No date", "last_activity_at": WHEN},
    ]
    with pytest.raises(IntegrityError, match="created_at"), transaction.atomic():
        insert(Thread, rows)
    assert not Thread.objects.exists()


def test_conflicts_can_be_skipped(places: Places) -> None:
    source = Source.objects.create(slug="blog", name="Blog", kind=Source.Kind.BLOG)
    row = {"source_id": source.pk, "external_id": "x", "handle": "x"}
    insert(ExternalIdentity, [row], returning=False)
    insert(ExternalIdentity, [row, row | {"external_id": "y"}], conflict="ON CONFLICT DO NOTHING")
    assert sorted(ExternalIdentity.objects.values_list("external_id", flat=True)) == ["x", "y"]
