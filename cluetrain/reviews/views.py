"""Product ratings pages. Views parse, call one action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import HtmxHttpRequest
from cluetrain.members.models import Member
from cluetrain.reviews.access import access_product, access_review
from cluetrain.reviews.actions import (
    check_mark_helpful,
    check_post_review,
    check_unmark_helpful,
    review_space_for,
)
from cluetrain.reviews.forms import ReviewForm
from cluetrain.reviews.models import Review
from cluetrain.reviews.queries import (
    DEFAULT_SORT,
    SORTS,
    products_with_ratings,
    rating_summary,
    sorted_reviews,
    visible_reviews,
)
from cluetrain.threads.models import Reaction

REVIEWS_PER_PAGE = 10


def products(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request, "reviews/products.html", {"products": products_with_ratings(request.user)}
    )


def product_reviews(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    product = access_product(slug)
    reviews = visible_reviews(request.user).filter(product=product)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    page = Paginator(sorted_reviews(reviews, sort), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    reviews_on_page = list(page)
    my_review = None
    helpful_ids: set[int] = set()
    if isinstance(request.user, Member):
        my_review = Review.objects.filter(author=request.user, product=product).first()
        helpful_ids = set(
            Reaction.objects.filter(
                member=request.user,
                kind=Reaction.Kind.HELPFUL,
                post__thread__in=[review.thread_id for review in reviews_on_page],
            ).values_list("post__thread_id", flat=True)
        )
    for review in reviews_on_page:
        review.marked_helpful = review.thread_id in helpful_ids  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/product_reviews.html",
        {
            "product": product,
            "summary": rating_summary(reviews),
            "page": page,
            "reviews": reviews_on_page,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "sort_query": urlencode({"sort": sort}),
            "my_review": my_review,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    assert isinstance(request.user, Member)
    product = access_product(slug)
    existing = Review.objects.filter(author=request.user, product=product).first()
    if request.method == "GET" and existing is not None:
        messages.info(
            request,
            gettext("You have already reviewed %(product)s: here it is.")
            % {"product": product.name},
        )
        return redirect("thread", thread_id=existing.thread_id)
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            review = check_post_review(
                request.user,
                product,
                stars=form.cleaned_data["stars"],
                title=form.cleaned_data["title"],
                body_md=form.cleaned_data["body"],
            )
        except ActionError as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, gettext("Thank you: your review is published."))
            return redirect("thread", thread_id=review.thread_id)
    context = {"product": product, "form": form, "space": review_space_for(product)}
    return render(request, "reviews/review_form.html", context, status=status)


@login_required
@require_POST
def review_helpful(request: HtmxHttpRequest, review_id: int) -> HttpResponse:
    assert isinstance(request.user, Member)
    review = access_review(request.user, review_id)
    undo = request.POST.get("action") == "unmark"
    error = None
    try:
        if undo:
            check_unmark_helpful(request.user, review)
        else:
            check_mark_helpful(request.user, review)
    except ActionError as refused:
        error = refused
    review.refresh_from_db(fields=["helpful_count"])
    marked = Reaction.objects.filter(
        member=request.user, kind=Reaction.Kind.HELPFUL, post__thread=review.thread_id
    ).exists()
    context = {"review": review, "marked": marked, "error": error}
    if request.htmx or error is not None:
        template = "reviews/_helpful.html" if request.htmx else "reviews/helpful_refused.html"
        return render(request, template, context, status=error.status if error else 200)
    return redirect(_next_url(request, review))


def _next_url(request: HtmxHttpRequest, review: Review) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("thread", kwargs={"thread_id": review.thread_id})
