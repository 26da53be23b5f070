"""`cluetrain rebuild_search_index`: rebuild every SearchEntry from posts and members."""

from collections.abc import Iterator
from typing import Any, TypeVar

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import QuerySet
from tqdm import tqdm

from cluetrain.members.models import Member
from cluetrain.search.indexing import bulk_index_members, bulk_index_posts
from cluetrain.search.models import SearchEntry
from cluetrain.threads.models import Post

M = TypeVar("M", Post, Member)
BATCH_SIZE = 2000  # rows held in memory at once; each batch is one INSERT


class Command(BaseCommand):
    help = "Rebuild the search index from all posts and members."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rebuild_search_index(progress=options["verbosity"] > 0)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {counts[0]:,} posts and {counts[1]:,} members.")
        )


def rebuild_search_index(*, progress: bool = True) -> tuple[int, int]:
    posts = (
        Post.objects.filter(is_hidden=False, is_deleted=False, thread__is_hidden=False)
        .select_related("thread__space")
        .order_by("pk")
    )
    members = (
        Member.objects.filter(is_active=True)
        .select_related("profile")
        .prefetch_related("profile__expertise", "profile__interests")
        .order_by("pk")
    )
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        post_count = 0
        with tqdm(total=posts.count(), desc="Posts", unit="post", disable=not progress) as bar:
            for batch in _batches(posts):
                post_count += bulk_index_posts(batch)
                bar.update(len(batch))
        member_count = 0
        with tqdm(
            total=members.count(), desc="Members", unit="member", disable=not progress
        ) as bar:
            for member_batch in _batches(members):
                member_count += bulk_index_members(member_batch)
                bar.update(len(member_batch))
        if connection.vendor == "sqlite":
            # Re-read the external-content FTS table from its source rows, healing any drift.
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    return post_count, member_count


def _batches(queryset: QuerySet[M]) -> Iterator[list[M]]:
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk
