"""Fetch reviews and products only through these helpers: they check the viewer may see them."""

from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.organizations.models import Product
from cluetrain.reviews.models import Review
from cluetrain.spaces.access import Viewer
from cluetrain.threads.access import can_see_thread


def access_product(slug: str) -> Product:
    # Products are the company's public catalogue: anyone may see one.
    product = Product.objects.select_related("organization").filter(slug=slug).first()
    if product is None:
        raise not_found(gettext("No such product."))
    return product


def access_review(viewer: Viewer, review_id: int) -> Review:
    review = (
        Review.objects.select_related("thread__space", "product", "author")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not can_see_thread(viewer, review.thread):
        raise not_found(gettext("No such review."))
    return review
