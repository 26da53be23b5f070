"""Read-side queries for product ratings: what a viewer may see, aggregated in the database."""

from dataclasses import dataclass

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery

from cluetrain.organizations.models import Product
from cluetrain.reviews.actions import STARS_CHOICES
from cluetrain.reviews.models import Review
from cluetrain.spaces.access import Viewer, readable_space_filter, readable_visibilities
from cluetrain.threads.models import Post

SORTS = {
    "newest": ("Newest", ("-created_at", "-pk")),
    "oldest": ("Oldest", ("created_at", "pk")),
    "highest": ("Highest rated", ("-stars", "-created_at", "-pk")),
    "lowest": ("Lowest rated", ("stars", "-created_at", "-pk")),
    "helpful": ("Most helpful", ("-helpful_count", "-created_at", "-pk")),
}
DEFAULT_SORT = "newest"


def visible_reviews(viewer: Viewer) -> QuerySet[Review]:
    """Reviews in spaces the viewer may read, on threads that are not hidden."""
    return Review.objects.filter(
        readable_space_filter(viewer, "thread__space__"), thread__is_hidden=False
    )


def products_with_ratings(viewer: Viewer) -> QuerySet[Product]:
    """Every product with `avg_stars` (None when unrated) and `review_count`, in one query."""
    counted = Q(
        reviews__thread__is_hidden=False,
        reviews__thread__space__visibility__in=readable_visibilities(viewer),
    )
    return (
        Product.objects.select_related("organization")
        .annotate(
            avg_stars=Avg("reviews__stars", filter=counted),
            review_count=Count("reviews", filter=counted),
        )
        .order_by("name")
    )


def sorted_reviews(reviews: QuerySet[Review], sort: str) -> QuerySet[Review]:
    """Reviews for a list, each with `body_md` and `body_html` of its opening post (None if
    removed)."""
    opening = Post.objects.filter(
        thread=OuterRef("thread"), parent__isnull=True, is_hidden=False, is_deleted=False
    ).order_by("created_at", "pk")
    return (
        reviews.select_related("thread", "author")
        .annotate(
            body_md=Subquery(opening.values("body_md")[:1]),
            body_html=Subquery(opening.values("body_html")[:1]),
        )
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1])
    )


@dataclass(frozen=True)
class StarShare:
    stars: int
    count: int
    percent: int  # of all reviews, rounded; the bar's width


@dataclass(frozen=True)
class RatingSummary:
    total: int
    average: float | None
    distribution: list[StarShare]  # 5 stars first


def rating_summary(reviews: QuerySet[Review]) -> RatingSummary:
    counts = dict(reviews.order_by().values_list("stars").annotate(n=Count("pk")))
    total = sum(counts.values())
    average = round(sum(stars * n for stars, n in counts.items()) / total, 1) if total else None
    return RatingSummary(
        total=total,
        average=average,
        distribution=[
            StarShare(
                stars=stars,
                count=counts.get(stars, 0),
                percent=round(100 * counts.get(stars, 0) / total) if total else 0,
            )
            for stars in STARS_CHOICES
        ],
    )
