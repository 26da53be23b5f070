"""Verbs on reviews. `check_*` validates and refuses; `do_*` writes.

A review is a thread of kind "review" in a reviews space, plus one Review row that carries the
stars and the subject, so the company can answer it in the open like any other message.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.reviews.events import ReviewPosted
from cluetrain.reviews.models import Review
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import (
    check_create_thread,
    do_add_reaction,
    do_create_thread,
    do_remove_reaction,
)
from cluetrain.threads.events import ReactionToggled
from cluetrain.threads.models import Post, Reaction, Thread

STARS_CHOICES = (5, 4, 3, 2, 1)


def parse_stars(value: object) -> int:
    """A whole number of stars from 1 to 5, from a form value or an int."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value not in STARS_CHOICES:
        raise ActionError(gettext("Choose a rating from 1 to 5 stars."), field="stars")
    return value


def review_space_for(product: Product) -> Space | None:
    """The product's own reviews space, else the first public reviews space for any product."""
    own = Space.objects.filter(kind=Space.Kind.REVIEWS, product=product).first()
    if own is not None:
        return own
    return (
        Space.objects.filter(kind=Space.Kind.REVIEWS, visibility=Space.Visibility.PUBLIC)
        .order_by(F("product").asc(nulls_first=True), "position", "name")
        .first()
    )


def _already_reviewed(product: Product) -> ActionError:
    return ActionError(
        gettext("You have already reviewed %(name)s. Reply to your review to add an update.")
        % {"name": product.name},
        status=409,
    )


def check_post_review(
    member: Member, product: Product, *, stars: object, title: str, body_md: str
) -> Review:
    star_count = parse_stars(stars)
    if Review.objects.filter(author=member, product=product).exists():
        raise _already_reviewed(product)
    space = review_space_for(product)
    if space is None:
        raise ActionError(
            gettext(
                "Reviews are not open yet: there is no reviews space. "
                "Please ask the community team."
            ),
            status=409,
        )
    try:
        # One transaction: a refused review leaves no thread behind.
        with transaction.atomic():
            thread = check_create_thread(
                member, space, title=title, body_md=body_md, kind=Thread.Kind.REVIEW
            )
            return do_add_review(thread, member, product, star_count)
    except IntegrityError:
        # Two submissions at once: the unique constraint let only one through.
        raise _already_reviewed(product) from None


@transaction.atomic
def do_post_review(
    member: Member,
    product: Product,
    space: Space,
    *,
    stars: int,
    title: str,
    body_md: str,
    created_at: datetime | None = None,
) -> Review:
    """For trusted input (the demo, importers): no validation beyond the database's."""
    thread = do_create_thread(
        member,
        space,
        title=title,
        body_md=body_md,
        kind=Thread.Kind.REVIEW,
        created_at=created_at,
    )
    return do_add_review(thread, member, product, stars)


def do_add_review(thread: Thread, member: Member, product: Product, stars: int) -> Review:
    """The Review row of a thread just written; raises IntegrityError for a second review."""
    review = Review.objects.create(
        thread=thread,
        author=member,
        product=product,
        stars=stars,
        created_at=thread.created_at,
    )
    publish(
        ReviewPosted(
            review_id=review.pk,
            thread_id=thread.pk,
            author_id=member.pk,
            product_id=product.pk,
            stars=stars,
        )
    )
    return review


def _review_post(review: Review) -> Post:
    post = review.thread.posts.filter(parent__isnull=True).order_by("created_at", "pk").first()
    if post is None:
        raise ActionError(gettext("This review has no text to mark."), status=409)
    return post


def _helpful_reaction(member: Member, post: Post) -> bool:
    return Reaction.objects.filter(post=post, member=member, kind=Reaction.Kind.HELPFUL).exists()


def check_mark_helpful(member: Member, review: Review) -> None:
    if review.author_id == member.pk:
        raise ActionError(gettext("You cannot mark your own review as helpful."), status=403)
    post = _review_post(review)
    if post.is_hidden or post.is_deleted:
        raise ActionError(gettext("This review was removed."), status=409)
    if _helpful_reaction(member, post):
        raise ActionError(gettext("You have already marked this review as helpful."), status=409)
    try:
        do_mark_helpful(member, review, post)
    except IntegrityError:
        raise ActionError(
            gettext("You have already marked this review as helpful."), status=409
        ) from None


@transaction.atomic
def do_mark_helpful(member: Member, review: Review, post: Post) -> None:
    # The same "helpful" reaction the thread page shows on the review's opening post; the
    # review's count follows it (sync_helpful_count_on_reaction).
    do_add_reaction(member, post, Reaction.Kind.HELPFUL)


def check_unmark_helpful(member: Member, review: Review) -> None:
    post = _review_post(review)
    if not _helpful_reaction(member, post):
        raise ActionError(gettext("You have not marked this review as helpful."), status=409)
    do_unmark_helpful(member, review, post)


@transaction.atomic
def do_unmark_helpful(member: Member, review: Review, post: Post) -> None:
    if not do_remove_reaction(member, post, Reaction.Kind.HELPFUL):
        do_sync_helpful_count(review.pk)  # nothing taken off: the count is recounted anyway


def do_sync_helpful_count(review_id: int) -> None:
    """Set helpful_count to the helpful reactions on the review's opening post.

    A recount rather than +1/-1, so that reactions made elsewhere (the thread page's own
    reaction buttons) are counted too, and running it twice changes nothing.
    """
    helpful = (
        Reaction.objects.filter(
            post__thread=OuterRef("thread"), post__parent__isnull=True, kind=Reaction.Kind.HELPFUL
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Review.objects.filter(pk=review_id).update(helpful_count=Coalesce(Subquery(helpful), 0))


def sync_helpful_count_on_reaction(event: ReactionToggled) -> None:
    """Subscribed in ReviewsConfig.ready(), in the reacting transaction: wherever a helpful mark
    on a review's opening post comes from (the review list, the thread page, the API), the
    count that orders the product's reviews changes with it."""
    if event.kind != Reaction.Kind.HELPFUL:
        return
    review_id = (
        Review.objects.filter(thread__posts=event.post_id, thread__posts__parent__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if review_id is not None:
        do_sync_helpful_count(review_id)
