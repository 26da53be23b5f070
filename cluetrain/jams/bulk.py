"""Many jam ideas and replies at once, for trusted input: the demo and the scale benchmark.

Rows go in with bulk inserts (threads, opening posts, replies, Idea rows) and no per-post
events, so no per-post task runs; the caller re-clusters the jam once afterwards
(`cluetrain.jams.clustering.do_recluster`). Posts made this way are not searchable unless
`index` is set (the demo sets it; the benchmark, which measures posting, does not).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from cluetrain.core.markdown import render_markdown
from cluetrain.ideas.models import Idea
from cluetrain.jams.models import Jam
from cluetrain.search.indexing import bulk_index_posts
from cluetrain.sources.lookup import community_source
from cluetrain.threads.models import Post, Thread

BATCH = 2_000


@dataclass
class IdeaDraft:
    author_id: int
    title: str
    body: str
    at: datetime
    replies: list[tuple[int, str, datetime]] = field(default_factory=list)


@transaction.atomic
def do_bulk_ideas(jam: Jam, drafts: list[IdeaDraft], *, index: bool = False) -> int:
    """Write the drafts into the jam's space; the number of posts written."""
    source = community_source()
    threads = [
        Thread(
            space=jam.space,
            title=d.title[:200],
            kind=Thread.Kind.IDEA,
            author_id=d.author_id,
            created_at=d.at,
            last_activity_at=max([d.at, *(at for _, _, at in d.replies)]),
            reply_count=len(d.replies),
        )
        for d in drafts
    ]
    Thread.objects.bulk_create(threads, batch_size=BATCH)
    openings = [
        Post(
            thread=thread,
            author_id=d.author_id,
            source=source,
            body_md=d.body,
            body_html=render_markdown(d.body),
            created_at=d.at,
        )
        for thread, d in zip(threads, drafts, strict=True)
    ]
    Post.objects.bulk_create(openings, batch_size=BATCH)
    Idea.objects.bulk_create([Idea(thread=t) for t in threads], batch_size=BATCH)
    replies = [
        Post(
            thread=thread,
            parent=opening,
            author_id=author_id,
            source=source,
            body_md=body,
            body_html=render_markdown(body),
            created_at=at,
        )
        for thread, opening, d in zip(threads, openings, drafts, strict=True)
        for author_id, body, at in d.replies
    ]
    Post.objects.bulk_create(replies, batch_size=BATCH)
    if index:
        bulk_index_posts([*openings, *replies], batch_size=BATCH)
    return len(openings) + len(replies)
