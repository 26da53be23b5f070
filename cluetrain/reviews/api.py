"""Product reviews in the JSON API: products, a product's reviews and rating, post, helpful."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cluetrain.api.auth import READ_AUTH, member, viewer
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import BodyMd, Input, MemberRef, Page, member_ref
from cluetrain.reviews.access import access_product, access_review
from cluetrain.reviews.actions import check_mark_helpful, check_post_review, check_unmark_helpful
from cluetrain.reviews.models import Review
from cluetrain.reviews.queries import (
    SORTS,
    products_with_ratings,
    rating_summary,
    sorted_reviews,
    visible_reviews,
)
from cluetrain.threads.actions import TITLE_MAX_CHARS

router = Router(tags=["reviews"])


class ProductOut(Schema):
    slug: str
    name: str
    organization: str
    average_stars: float | None
    review_count: int


class ProductPage(Page):
    items: list[ProductOut]


class StarShareOut(Schema):
    stars: int
    count: int
    percent: int


class ReviewOut(Schema):
    id: int
    thread_id: int
    product: str
    author: MemberRef | None
    stars: int
    title: str
    body_md: str | None
    body_html: str | None
    helpful_count: int
    created_at: datetime


class ReviewPage(Page):
    total: int
    average: float | None
    distribution: list[StarShareOut]
    items: list[ReviewOut]


class ReviewFilters(PageParams):
    sort: Literal["newest", "oldest", "highest", "lowest", "helpful"] = "newest"


class ReviewIn(Input):
    stars: int = Field(ge=1, le=5)
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)
    body_md: BodyMd


class HelpfulOut(Schema):
    review_id: int
    marked: bool
    helpful_count: int


def _review_out(review: Review) -> ReviewOut:
    return ReviewOut(
        id=review.pk,
        thread_id=review.thread_id,
        product=review.product.slug if review.product else "",
        author=member_ref(review.author),
        stars=review.stars,
        title=review.thread.title,
        body_md=getattr(review, "body_md", None),
        body_html=getattr(review, "body_html", None),
        helpful_count=review.helpful_count,
        created_at=review.created_at,
    )


@router.get("/products", response=ProductPage, auth=READ_AUTH)
def list_products(request: HttpRequest, page: Query[PageParams]) -> ProductPage:
    rows, next_cursor = paginate(products_with_ratings(viewer(request)), ("name", "pk"), page)
    items = [
        ProductOut(
            slug=p.slug,
            name=p.name,
            organization=p.organization.name,
            average_stars=p.avg_stars,  # type: ignore[attr-defined]
            review_count=p.review_count,  # type: ignore[attr-defined]
        )
        for p in rows
    ]
    return ProductPage(items=items, next=next_cursor)


@router.get("/products/{slug}/reviews", response=ReviewPage, auth=READ_AUTH)
def list_reviews(request: HttpRequest, slug: str, filters: Query[ReviewFilters]) -> ReviewPage:
    """The product's reviews, sorted, with the rating summary of all of them."""
    product = access_product(slug)
    reviews = visible_reviews(viewer(request)).filter(product=product)
    summary = rating_summary(reviews)
    order = SORTS[filters.sort][1]
    listed = sorted_reviews(reviews, filters.sort).select_related("product")
    rows, next_cursor = paginate(listed, order, filters)
    return ReviewPage(
        total=summary.total,
        average=summary.average,
        distribution=[
            StarShareOut(stars=s.stars, count=s.count, percent=s.percent)
            for s in summary.distribution
        ],
        items=[_review_out(r) for r in rows],
        next=next_cursor,
    )


@router.post("/products/{slug}/reviews", response={201: ReviewOut})
def create_review(request: HttpRequest, slug: str, payload: ReviewIn) -> Status[ReviewOut]:
    product = access_product(slug)
    review = check_post_review(
        member(request), product, stars=payload.stars, title=payload.title, body_md=payload.body_md
    )
    review = sorted_reviews(Review.objects.filter(pk=review.pk), "newest").get()
    return Status(201, _review_out(review))


def _helpful(request: HttpRequest, review_id: int, mark: bool) -> HelpfulOut:
    who = member(request)
    review = access_review(who, review_id)
    if mark:
        check_mark_helpful(who, review)
    else:
        check_unmark_helpful(who, review)
    review.refresh_from_db(fields=["helpful_count"])
    return HelpfulOut(review_id=review.pk, marked=mark, helpful_count=review.helpful_count)


@router.post("/reviews/{int:review_id}/helpful", response=HelpfulOut)
def mark_helpful(request: HttpRequest, review_id: int) -> HelpfulOut:
    return _helpful(request, review_id, True)


@router.delete("/reviews/{int:review_id}/helpful", response=HelpfulOut)
def unmark_helpful(request: HttpRequest, review_id: int) -> HelpfulOut:
    return _helpful(request, review_id, False)
