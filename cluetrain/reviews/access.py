"""Fetch reviews and products only through these helpers: they check the viewer may see them."""

from django.http import Http404

from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.reviews.models import Review
from cluetrain.spaces.access import Viewer, can_read_space


def access_product(slug: str) -> Product:
    # Products are the company's public catalogue: anyone may see one.
    product = Product.objects.select_related("organization").filter(slug=slug).first()
    if product is None:
        raise Http404("No such product.")
    return product


def access_review(viewer: Viewer, review_id: int) -> Review:
    review = (
        Review.objects.select_related("thread__space", "product", "author")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not can_read_space(viewer, review.thread.space):
        raise Http404("No such review.")
    moderator = isinstance(viewer, Member) and viewer.can_moderate
    if review.thread.is_hidden and not moderator:
        raise Http404("No such review.")
    return review
