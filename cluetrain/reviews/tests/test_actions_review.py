from datetime import timedelta

import pytest
from django.utils import timezone

from cluetrain.core.errors import ActionError
from cluetrain.reviews.actions import (
    check_mark_helpful,
    check_post_review,
    check_unmark_helpful,
    do_post_review,
    do_sync_helpful_count,
)
from cluetrain.reviews.models import Review
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_react
from cluetrain.threads.models import Post, Reaction, Thread
from conftest import Cast, Places


def test_review_is_a_review_thread_in_the_reviews_space(cast: Cast, places: Places) -> None:
    review = check_post_review(
        cast.alice, places.product, stars="4", title="Solid hub", body_md="Works *well*."
    )
    review.refresh_from_db()
    assert review.stars == 4
    assert review.author == cast.alice
    assert review.product == places.product
    assert review.helpful_count == 0
    assert review.thread.kind == Thread.Kind.REVIEW
    assert review.thread.space == places.reviews
    assert review.thread.title == "Solid hub"
    assert review.created_at == review.thread.created_at
    post = Post.objects.get(thread=review.thread)
    assert post.body_html == "<p>Works <em>well</em>.</p>\n"


def test_review_goes_to_the_products_own_reviews_space(cast: Cast, places: Places) -> None:
    own = Space.objects.create(
        name="Hub reviews", slug="hub-reviews", kind=Space.Kind.REVIEWS, product=places.product
    )
    review = check_post_review(cast.alice, places.product, stars=5, title="Great", body_md="Yes")
    assert review.thread.space == own


@pytest.mark.parametrize("stars", [0, 6, "0", "6", "five", "4.5", "", None, True, -1])
def test_stars_outside_one_to_five_are_refused(cast: Cast, places: Places, stars: object) -> None:
    with pytest.raises(ActionError) as refused:
        check_post_review(cast.alice, places.product, stars=stars, title="Hmm", body_md="Text")
    assert refused.value.status == 400
    assert refused.value.field == "stars"
    assert refused.value.message == "Choose a rating from 1 to 5 stars."
    assert Review.objects.count() == 0
    assert Thread.objects.count() == 0
    assert Post.objects.count() == 0


def test_second_review_of_the_same_product_is_refused(cast: Cast, places: Places) -> None:
    first = check_post_review(cast.alice, places.product, stars=2, title="Meh", body_md="Slow")
    with pytest.raises(ActionError) as refused:
        check_post_review(cast.alice, places.product, stars=5, title="Again", body_md="Better")
    assert refused.value.status == 409
    assert refused.value.message == (
        "You have already reviewed Lumen Hub. Reply to your review to add an update."
    )
    assert list(Review.objects.values_list("pk", "stars")) == [(first.pk, 2)]
    assert Thread.objects.count() == 1


def test_review_without_a_reviews_space_is_refused(cast: Cast, places: Places) -> None:
    places.reviews.delete()
    with pytest.raises(ActionError) as refused:
        check_post_review(cast.alice, places.product, stars=3, title="Ok", body_md="Fine")
    assert refused.value.status == 409
    assert "no reviews space" in refused.value.message
    assert Thread.objects.count() == 0
    assert Space.objects.filter(kind=Space.Kind.REVIEWS).count() == 0


def test_private_reviews_space_is_not_a_fallback(cast: Cast, places: Places) -> None:
    places.reviews.visibility = Space.Visibility.STAFF
    places.reviews.save()
    with pytest.raises(ActionError) as refused:
        check_post_review(cast.alice, places.product, stars=3, title="Ok", body_md="Fine")
    assert refused.value.status == 409
    assert Review.objects.count() == 0


def test_missing_title_is_refused_and_writes_nothing(cast: Cast, places: Places) -> None:
    with pytest.raises(ActionError) as refused:
        check_post_review(cast.alice, places.product, stars=3, title="  ", body_md="Fine")
    assert (refused.value.status, refused.value.field) == (400, "title")
    assert Review.objects.count() == 0
    assert Thread.objects.count() == 0


def test_helpful_counts_once_per_member(cast: Cast, places: Places) -> None:
    review = do_post_review(
        cast.alice, places.product, places.reviews, stars=5, title="Love it", body_md="Yes"
    )
    check_mark_helpful(cast.bob, review)
    with pytest.raises(ActionError) as refused:
        check_mark_helpful(cast.bob, review)
    assert refused.value.status == 409
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert Reaction.objects.filter(kind=Reaction.Kind.HELPFUL).count() == 1
    assert Post.objects.get(thread=review.thread).score == 1

    check_unmark_helpful(cast.bob, review)
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert Reaction.objects.count() == 0
    with pytest.raises(ActionError) as refused:
        check_unmark_helpful(cast.bob, review)
    assert refused.value.status == 409


def test_own_review_cannot_be_marked_helpful(cast: Cast, places: Places) -> None:
    review = do_post_review(
        cast.alice, places.product, places.reviews, stars=5, title="Mine", body_md="Yes"
    )
    with pytest.raises(ActionError) as refused:
        check_mark_helpful(cast.alice, review)
    assert refused.value.status == 403
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert Reaction.objects.count() == 0


def test_do_post_review_keeps_the_given_date(cast: Cast, places: Places) -> None:
    when = timezone.now() - timedelta(days=30)
    review = do_post_review(
        cast.bob, places.product, places.reviews, stars=1, title="Old", body_md="x", created_at=when
    )
    assert review.created_at == when
    assert review.thread.created_at == when


def test_helpful_reactions_from_the_thread_page_are_counted(cast: Cast, places: Places) -> None:
    review = do_post_review(
        cast.alice, places.product, places.reviews, stars=4, title="Nice", body_md="Yes"
    )
    opening = Post.objects.get(thread=review.thread)
    check_react(cast.bob, opening, Reaction.Kind.HELPFUL)
    check_react(cast.pat, opening, Reaction.Kind.LIKE)
    do_sync_helpful_count(review.pk)
    do_sync_helpful_count(review.pk)
    review.refresh_from_db()
    assert review.helpful_count == 1
    with pytest.raises(ActionError) as refused:
        check_mark_helpful(cast.bob, review)
    assert refused.value.status == 409
    check_mark_helpful(cast.sam, review)
    review.refresh_from_db()
    assert review.helpful_count == 2
