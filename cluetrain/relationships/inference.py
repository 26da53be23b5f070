"""Relationship events inferred from what happens on the platform, each with its evidence.

Subscribed to the domain events in `RelationshipsConfig.ready()`; the work runs as background
tasks that take ids and are safe to run twice (`do_infer` writes each origin and kind once).

| what happened | kind | between |
|---|---|---|
| a reply | respond | replier -> the author replied to |
| a reply to someone who replied to you before | conversation | both ways |
| a staff reply to a customer | support | staff -> customer (the company helps) |
| an accepted answer | ask_advice | asker -> the one who answered |
| a review | evaluate (sign from the stars) | reviewer -> product, vendor or member |
| a second review of one vendor's products | repeat_patronage | reviewer -> vendor |
| a follow | subscription | follower -> followed |
| a trust mark | vulnerability | truster -> trusted |
| an accepted connection | public_display | both |
| a declined connection | rebuff | decliner -> requester |
| a like or a "helpful" | recognition (light) | member -> author |
| a message read as recommending | recommend | author -> product or company |
| a message read as praise | advocate | author -> product or company |
| a negative complaint | badmouth | author -> product or company |
| "I will cancel / switch" | implications_for_future, negative | author -> product or company |
| "I will buy" | implications_for_future, positive | author -> product or company |
"""

from datetime import datetime

from django_tasks import task

from cluetrain.listening.events import MessagesRead
from cluetrain.listening.models import Enrichment
from cluetrain.members.events import ConnectionAnswered, ConnectionEnded, ConnectionMade
from cluetrain.members.models import Connection, Member
from cluetrain.moderation.events import PostHiddenChanged
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships.actions import do_forget_origin, do_infer
from cluetrain.relationships.models import RelationshipKind as K
from cluetrain.relationships.ties import STAFF_ROLES, company
from cluetrain.reviews.events import ReviewPosted
from cluetrain.reviews.models import Review
from cluetrain.threads.events import AnswerAccepted, PostCreated, PostDeleted, ReactionToggled
from cluetrain.threads.models import Post

#: A like counts less than any stated expression: many are given in passing.
REACTION_WEIGHT = 0.3


@task()
def infer_from_post(post_id: int) -> None:
    post = (
        Post.objects.select_related("author", "thread", "parent__author")
        .filter(pk=post_id, is_deleted=False)
        .first()
    )
    if post is None or post.author is None or post.parent is None:
        return
    author, other = post.author, post.parent.author
    if other is None or other.pk == author.pk:
        return
    origin = f"post:{post.pk}"
    do_infer(
        K.RESPOND,
        origin=origin,
        actor=author,
        target=other,
        occurred_at=post.created_at,
        evidence="replied",
        post_id=post.pk,
    )
    replied_before = Post.objects.filter(
        author=other, parent__author=author, created_at__lt=post.created_at, is_deleted=False
    ).exists()
    if replied_before:
        do_infer(
            K.CONVERSATION,
            origin=origin,
            actor=author,
            target=other,
            occurred_at=post.created_at,
            evidence="replied to someone who had replied to them",
            post_id=post.pk,
        )
    if author.role in STAFF_ROLES and other.role not in STAFF_ROLES:
        do_infer(
            K.SUPPORT,
            origin=origin,
            actor=author,
            target=other,
            occurred_at=post.created_at,
            evidence="answered for the company",
            post_id=post.pk,
        )


@task()
def infer_from_accepted_answer(post_id: int) -> None:
    post = Post.objects.select_related("author", "thread__author").filter(pk=post_id).first()
    if post is None or post.author is None or post.thread.accepted_answer_id != post.pk:
        return
    asker = post.thread.author
    if asker is None or asker.pk == post.author.pk:
        return
    do_infer(
        K.ASK_ADVICE,
        origin=f"accepted:{post.pk}",
        actor=asker,
        target=post.author,
        occurred_at=post.created_at,
        evidence="accepted the answer",
        post_id=post.pk,
    )


def _stars_sign(stars: int) -> int:
    return 1 if stars >= 4 else -1 if stars <= 2 else 0


@task()
def infer_from_review(review_id: int) -> None:
    review = (
        Review.objects.select_related("author", "product__organization", "organization", "thread")
        .filter(pk=review_id)
        .first()
    )
    if review is None or review.author is None or review.thread.is_hidden:
        return  # a review held for moderation is read again when a moderator approves it
    target: Member | Organization | Product | None = (
        review.product or review.organization or review.reviewed_member
    )
    if target is None or target == review.author:
        return
    opening = review.thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    do_infer(
        K.EVALUATE,
        origin=f"review:{review.pk}",
        actor=review.author,
        target=target,
        occurred_at=review.created_at,
        evidence=f"reviewed with {review.stars} of 5 stars",
        post_id=opening,
        polarity=_stars_sign(review.stars),
    )
    vendor = review.product.organization if review.product else review.organization
    if vendor is None:
        return
    earlier = (
        Review.objects.filter(author=review.author, created_at__lt=review.created_at)
        .filter(product__organization=vendor)
        .count()
        + Review.objects.filter(
            author=review.author, created_at__lt=review.created_at, organization=vendor
        ).count()
    )
    if earlier:
        do_infer(
            K.REPEAT_PATRONAGE,
            origin=f"review:{review.pk}:repeat",
            actor=review.author,
            target=vendor,
            occurred_at=review.created_at,
            evidence=f"came back: {earlier + 1} reviews of its products",
            post_id=opening,
        )


CONNECTION_KINDS = {
    Connection.Kind.FOLLOW: (K.SUBSCRIPTION, "followed"),
    Connection.Kind.TRUST: (K.VULNERABILITY, "marked as trusted"),
    Connection.Kind.CONNECT: (K.PUBLIC_DISPLAY, "connected"),
}


def _connection_origin(from_id: int, to_id: int, kind: str) -> str:
    return f"connection:{from_id}:{to_id}:{kind}"


@task()
def infer_from_connection(connection_id: int) -> None:
    connection = (
        Connection.objects.select_related("from_member", "to_member")
        .filter(pk=connection_id)
        .first()
    )
    if connection is None:
        return
    a, b = connection.from_member, connection.to_member
    origin = _connection_origin(a.pk, b.pk, connection.kind)
    when = connection.responded_at or connection.created_at
    if connection.status == Connection.Status.DECLINED:
        do_infer(
            K.REBUFF,
            origin=origin,
            actor=b,
            target=a,
            occurred_at=when,
            evidence="declined a request to connect",
        )
        return
    if connection.status != Connection.Status.ACCEPTED:
        return
    kind, verb = CONNECTION_KINDS[Connection.Kind(connection.kind)]
    do_infer(kind, origin=origin, actor=a, target=b, occurred_at=when, evidence=verb)


@task()
def infer_from_reaction(post_id: int, member_id: int, kind: str, added: bool) -> None:
    origin = f"reaction:{post_id}:{member_id}:{kind}"
    if not added:
        do_forget_origin(origin)
        return
    post = Post.objects.select_related("author", "thread").filter(pk=post_id).first()
    member = Member.objects.filter(pk=member_id).first()
    if post is None or post.author is None or member is None or post.author_id == member_id:
        return
    do_infer(
        K.RECOGNITION,
        origin=origin,
        actor=member,
        target=post.author,
        occurred_at=post.created_at,
        evidence=f"marked a post as {kind}",
        post_id=post.pk,
        weight=REACTION_WEIGHT,
    )


#: What listening reads in a message, as expressions toward a product or the company.
INTENT_KINDS: dict[str, tuple[str, int | None, str]] = {
    "recommend": (K.RECOMMEND, None, "recommended"),
    "praise": (K.ADVOCATE, None, "praised"),
    "threaten_to_leave": (K.IMPLICATIONS_FOR_FUTURE, -1, "said they would leave"),
    "intend_to_buy": (K.IMPLICATIONS_FOR_FUTURE, 1, "said they would buy"),
}


@task()
def infer_from_listening(since: str) -> None:
    """Expressions toward products and the company in messages read since `since`."""
    home = company()
    enrichments = (
        Enrichment.objects.filter(enriched_at__gte=datetime.fromisoformat(since))
        .select_related("post__author", "post__thread")
        .prefetch_related("products")
        .exclude(intents=[])
    )
    # A list, not .iterator(): SQLite cannot open the savepoints do_infer needs while a
    # read cursor is still open on the same connection.
    for enrichment in list(enrichments):
        post = enrichment.post
        if post.is_deleted or post.is_hidden:
            continue
        if post.author is not None and post.author.role in STAFF_ROLES:
            continue  # the company's own voice is not a customer's relationship with it
        targets: list[Organization | Product] = list(enrichment.products.all()) or (
            [home] if home is not None else []
        )
        expressions = [INTENT_KINDS[i] for i in enrichment.intents if i in INTENT_KINDS]
        if "complain" in enrichment.intents and enrichment.sentiment == "negative":
            expressions.append((K.BADMOUTH, None, "complained"))
        for target in targets:
            for kind, polarity, verb in expressions:
                do_infer(
                    kind,
                    origin=f"post:{post.pk}:{target.__class__.__name__.lower()}:{target.pk}",
                    actor=post.author,
                    actor_external_id=post.external_author_id,
                    target=target,
                    occurred_at=post.created_at,
                    evidence=f"{verb} in a message",
                    post_id=post.pk,
                    polarity=polarity,
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
    do_forget_origin(_connection_origin(event.member_id, event.other_id, event.kind))
    do_forget_origin(_connection_origin(event.other_id, event.member_id, event.kind))


def on_reaction(event: ReactionToggled) -> None:
    infer_from_reaction.enqueue(event.post_id, event.member_id, event.kind, event.added)


def on_messages_read(event: MessagesRead) -> None:
    if event.count:
        infer_from_listening.enqueue(event.started_at.isoformat())
