"""Relationship events inferred from what happens on the platform, as it happens.

Subscribed to the domain events in `RelationshipsConfig.ready()`; the work runs as background
tasks that take ids and are safe to run twice (`do_record` writes each origin and kind once).
Each task gathers the facts of one happening; what they mean is in `rules.py`, which the
bulk backfill shares.
"""

from datetime import datetime

from django.db.models import Q
from django_tasks import task

from cluetrain.listening.events import MessagesRead
from cluetrain.listening.models import Enrichment
from cluetrain.members.events import ConnectionAnswered, ConnectionEnded, ConnectionMade
from cluetrain.members.models import COMPANY_STAFF_ROLES, Connection, Member
from cluetrain.moderation.events import PostHiddenChanged
from cluetrain.relationships import rules
from cluetrain.relationships.actions import do_forget_origin, do_record
from cluetrain.relationships.rules import Inferred, connection_origin, reaction_origin
from cluetrain.relationships.ties import company
from cluetrain.reviews.events import ReviewPosted
from cluetrain.reviews.models import Review
from cluetrain.threads.events import AnswerAccepted, PostCreated, PostDeleted, ReactionToggled
from cluetrain.threads.models import Post


def _record(found: list[Inferred]) -> None:
    for inferred in found:
        do_record(inferred)


@task()
def infer_from_post(post_id: int) -> None:
    post = (
        Post.objects.select_related("author", "parent__author")
        .filter(pk=post_id, is_deleted=False, is_hidden=False)
        .first()
    )
    if post is None or post.author is None or post.parent is None or post.parent.author is None:
        return
    author, other = post.author, post.parent.author
    replied_before = Post.objects.filter(
        author=other,
        parent__author=author,
        created_at__lt=post.created_at,
        is_deleted=False,
        is_hidden=False,
    ).exists()
    _record(
        rules.reply(
            post.pk,
            post.created_at,
            author_id=author.pk,
            author_role=author.role,
            other_id=other.pk,
            other_role=other.role,
            replied_before=replied_before,
        )
    )


@task()
def infer_from_accepted_answer(post_id: int) -> None:
    post = Post.objects.select_related("thread").filter(pk=post_id).first()
    if post is None or post.author_id is None or post.thread.accepted_answer_id != post.pk:
        return
    if post.thread.author_id is None:
        return
    _record(
        rules.accepted_answer(
            post.pk, post.created_at, asker_id=post.thread.author_id, answerer_id=post.author_id
        )
    )


@task()
def infer_from_review(review_id: int) -> None:
    review = Review.objects.select_related("product", "thread").filter(pk=review_id).first()
    if review is None or review.author_id is None or review.thread.is_hidden:
        return  # a review held for moderation is read again when a moderator approves it
    vendor = review.product.organization_id if review.product else review.organization_id
    earlier = (
        Review.objects.filter(author_id=review.author_id, created_at__lt=review.created_at)
        .filter(Q(product__organization_id=vendor) | Q(organization_id=vendor))
        .count()
        if vendor is not None
        else 0
    )
    opening = review.thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    _record(
        rules.review(
            review.pk,
            review.created_at,
            author_id=review.author_id,
            stars=review.stars,
            product_id=review.product_id,
            organization_id=review.organization_id,
            member_id=review.reviewed_member_id,
            vendor_id=vendor,
            opening_post_id=opening,
            earlier_of_vendor=earlier,
        )
    )


@task()
def infer_from_connection(connection_id: int) -> None:
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is not None:
        _record(
            rules.connection(
                connection.from_member_id,
                connection.to_member_id,
                connection.kind,
                connection.status,
                connection.responded_at or connection.created_at,
            )
        )


@task()
def infer_from_reaction(post_id: int, member_id: int, kind: str, added: bool) -> None:
    if not added:
        do_forget_origin(reaction_origin(post_id, member_id, kind))
        return
    post = Post.objects.filter(pk=post_id).first()
    if post is None or post.author_id is None or not Member.objects.filter(pk=member_id).exists():
        return
    _record(rules.reaction(post.pk, member_id, kind, author_id=post.author_id, at=post.created_at))


@task()
def infer_from_listening(since: str) -> None:
    """Expressions toward products and the company in messages read since `since`."""
    home = company()
    enrichments = (
        Enrichment.objects.filter(enriched_at__gte=datetime.fromisoformat(since))
        .filter(post__is_deleted=False, post__is_hidden=False)
        .exclude(post__author__role__in=COMPANY_STAFF_ROLES)
        .select_related("post")
        .prefetch_related("products")
        .exclude(intents=[])
    )
    # A list, not .iterator(): SQLite cannot open the savepoints do_record needs while a
    # read cursor is still open on the same connection.
    for enrichment in list(enrichments):
        post = enrichment.post
        _record(
            rules.message(
                post.pk,
                post.created_at,
                author_id=post.author_id,
                external_id=post.external_author_id,
                intents=enrichment.intents,
                sentiment=enrichment.sentiment,
                product_ids=[product.pk for product in enrichment.products.all()],
                company_id=None if home is None else home.pk,
            )
        )


def on_post_created(event: PostCreated) -> None:
    if event.parent_id is not None and event.author_id is not None:
        infer_from_post.enqueue(event.post_id)


def on_post_gone(event: PostDeleted | PostHiddenChanged) -> None:
    if isinstance(event, PostHiddenChanged) and not event.hidden:
        infer_from_post.enqueue(event.post_id)
        return
    do_forget_origin(f"post:{event.post_id}")
    do_forget_origin(f"accepted:{event.post_id}")


def on_answer_accepted(event: AnswerAccepted) -> None:
    if event.post_id is not None:
        infer_from_accepted_answer.enqueue(event.post_id)


def on_review_posted(event: ReviewPosted) -> None:
    infer_from_review.enqueue(event.review_id)


def on_connection(event: ConnectionMade | ConnectionAnswered) -> None:
    infer_from_connection.enqueue(event.connection_id)


def on_connection_ended(event: ConnectionEnded) -> None:
    do_forget_origin(connection_origin(event.member_id, event.other_id, event.kind))
    do_forget_origin(connection_origin(event.other_id, event.member_id, event.kind))


def on_reaction(event: ReactionToggled) -> None:
    infer_from_reaction.enqueue(event.post_id, event.member_id, event.kind, event.added)


def on_messages_read(event: MessagesRead) -> None:
    if event.count:
        infer_from_listening.enqueue(event.started_at.isoformat())
