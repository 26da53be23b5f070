from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects
from pytest_django.fixtures import DjangoAssertNumQueries

from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.reviews.actions import do_post_review
from cluetrain.reviews.models import Review
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Reaction, Thread
from conftest import PASSWORD, Cast, Places, make_member


def _review(
    places: Places, author: Member, stars: int, title: str, days_ago: int, helpful: int = 0
) -> Review:
    review = do_post_review(
        author,
        places.product,
        places.reviews,
        stars=stars,
        title=title,
        body_md=f"Text of {title}",
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    Review.objects.filter(pk=review.pk).update(helpful_count=helpful)
    return review


@pytest.fixture
def four_reviews(cast: Cast, places: Places) -> list[Review]:
    return [
        _review(places, cast.alice, 5, "Brilliant", days_ago=4, helpful=1),
        _review(places, cast.bob, 5, "Love it", days_ago=3, helpful=7),
        _review(places, cast.pat, 4, "Pretty good", days_ago=2, helpful=3),
        _review(places, make_member("carol", "customer"), 1, "Broke in a week", days_ago=1),
    ]


def login(client: Client, member: Member) -> Client:
    assert client.login(username=member.username, password=PASSWORD)
    return client


def test_products_page_shows_average_and_count_in_one_query(
    client: Client,
    places: Places,
    four_reviews: list[Review],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    Product.objects.create(organization=places.company, name="Lumen Bulb", slug="lumen-bulb")
    with django_assert_num_queries(1):
        response = client.get(reverse("products"))
    assert response.status_code == 200
    rows = [(p.name, p.avg_stars, p.review_count) for p in response.context["products"]]
    assert rows == [("Lumen Bulb", None, 0), ("Lumen Hub", 3.75, 4)]
    assertContains(response, "4 reviews")
    assertContains(response, "No reviews yet.")


def test_rating_distribution_is_exact(
    client: Client, places: Places, four_reviews: list[Review]
) -> None:
    response = client.get(reverse("product_reviews", args=["lumen-hub"]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.total == 4
    assert summary.average == 3.8
    shares = [(s.stars, s.count, s.percent) for s in summary.distribution]
    assert shares == [(5, 2, 50), (4, 1, 25), (3, 0, 0), (2, 0, 0), (1, 1, 25)]
    assertContains(response, '<span style="width: 50%"></span>', count=1)
    assertContains(response, '<span style="width: 25%"></span>', count=2)
    assertContains(response, "2 · 50%")


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("newest", ["Broke in a week", "Pretty good", "Love it", "Brilliant"]),
        ("oldest", ["Brilliant", "Love it", "Pretty good", "Broke in a week"]),
        ("highest", ["Love it", "Brilliant", "Pretty good", "Broke in a week"]),
        ("lowest", ["Broke in a week", "Pretty good", "Love it", "Brilliant"]),
        ("helpful", ["Love it", "Pretty good", "Brilliant", "Broke in a week"]),
        ("bogus", ["Broke in a week", "Pretty good", "Love it", "Brilliant"]),
    ],
)
def test_reviews_sort(
    client: Client, four_reviews: list[Review], sort: str, titles: list[str]
) -> None:
    response = client.get(reverse("product_reviews", args=["lumen-hub"]), {"sort": sort})
    assert [review.thread.title for review in response.context["reviews"]] == titles


def test_review_list_shows_text_author_replies_and_link(
    client: Client, four_reviews: list[Review]
) -> None:
    review = four_reviews[1]
    Thread.objects.filter(pk=review.thread_id).update(reply_count=2)
    response = client.get(reverse("product_reviews", args=["lumen-hub"]))
    assertContains(response, "<p>Text of Love it</p>", html=True)
    assertContains(response, "Bob Baker")
    assertContains(response, "2 replies")
    assertContains(response, f'href="{reverse("thread", args=[review.thread_id])}"')


def test_reviews_paginate_by_ten(cast: Cast, places: Places, client: Client) -> None:
    for number in range(12):
        _review(places, make_member(f"buyer{number}", "customer"), 3, f"R{number}", number)
    first = client.get(reverse("product_reviews", args=["lumen-hub"]))
    second = client.get(reverse("product_reviews", args=["lumen-hub"]), {"page": 2})
    assert len(first.context["reviews"]) == 10
    assert [review.thread.title for review in second.context["reviews"]] == ["R10", "R11"]
    assertContains(second, "Page 2 of 2")


def test_hidden_and_private_reviews_are_not_counted(
    client: Client, cast: Cast, places: Places, four_reviews: list[Review]
) -> None:
    Thread.objects.filter(pk=four_reviews[3].thread_id).update(is_hidden=True)
    staff_space = Space.objects.create(
        name="Internal", slug="internal", kind=Space.Kind.REVIEWS, visibility="staff"
    )
    do_post_review(cast.sam, places.product, staff_space, stars=1, title="Secret", body_md="x")
    response = client.get(reverse("product_reviews", args=["lumen-hub"]))
    assert response.context["summary"].total == 3
    assert "Secret" not in response.content.decode()
    products = client.get(reverse("products")).context["products"]
    assert [(p.avg_stars, p.review_count) for p in products] == [(14 / 3, 3)]


def test_write_review_page_posts_and_redirects(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.alice)
    url = reverse("review_new", args=["lumen-hub"])
    assertContains(client.get(url), "Review Lumen Hub")
    response = client.post(url, {"stars": "5", "title": "Best hub", "body": "Five stars."})
    review = Review.objects.get()
    assertRedirects(
        response, reverse("thread", args=[review.thread_id]), fetch_redirect_response=False
    )
    assert (review.stars, review.author, review.thread.title) == (5, cast.alice, "Best hub")


@pytest.mark.parametrize("stars", ["0", "6", "five", None])
def test_write_review_page_refuses_bad_stars(
    client: Client, cast: Cast, places: Places, stars: str | None
) -> None:
    login(client, cast.alice)
    data = {"title": "Hmm", "body": "Text"}
    if stars is not None:
        data["stars"] = stars
    response = client.post(reverse("review_new", args=["lumen-hub"]), data)
    assertContains(response, "Choose a rating from 1 to 5 stars.", status_code=400)
    assert Review.objects.count() == 0
    assert Thread.objects.count() == 0


def test_write_review_page_refuses_a_second_review(
    client: Client, cast: Cast, places: Places
) -> None:
    review = _review(places, cast.alice, 2, "First", days_ago=1)
    login(client, cast.alice)
    url = reverse("review_new", args=["lumen-hub"])
    response = client.post(url, {"stars": "5", "title": "Second", "body": "Text"})
    assertContains(response, "You have already reviewed Lumen Hub", status_code=409)
    assert list(Review.objects.values_list("pk", flat=True)) == [review.pk]
    assertRedirects(
        client.get(url), reverse("thread", args=[review.thread_id]), fetch_redirect_response=False
    )


def test_write_review_needs_login(client: Client, places: Places) -> None:
    url = reverse("review_new", args=["lumen-hub"])
    response = client.post(url, {"stars": "5", "title": "x", "body": "y"})
    assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)
    assert Review.objects.count() == 0


def test_unknown_product_is_404(client: Client, places: Places) -> None:
    assert client.get(reverse("product_reviews", args=["nope"])).status_code == 404


def test_helpful_button_without_js_and_with_htmx(
    client: Client, cast: Cast, four_reviews: list[Review]
) -> None:
    review = four_reviews[0]
    login(client, cast.bob)
    url = reverse("review_helpful", args=[review.pk])
    back = reverse("product_reviews", args=["lumen-hub"])
    assertRedirects(client.post(url, {"next": back}), back, fetch_redirect_response=False)
    review.refresh_from_db()
    assert review.helpful_count == 1
    response = client.post(url, {"action": "unmark"}, headers={"HX-Request": "true"})
    assertContains(response, "0 found this helpful")
    assertContains(response, 'aria-pressed="false"')
    assert Reaction.objects.count() == 0


def test_helpful_twice_is_refused(client: Client, cast: Cast, four_reviews: list[Review]) -> None:
    review = four_reviews[0]
    login(client, cast.bob)
    url = reverse("review_helpful", args=[review.pk])
    client.post(url)
    response = client.post(url)
    assertContains(response, "You have already marked this review as helpful.", status_code=409)
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert Reaction.objects.count() == 1


def test_review_panel_shows_stars_product_and_helpful(
    client: Client, cast: Cast, four_reviews: list[Review]
) -> None:
    review = four_reviews[2]
    request = RequestFactory().get("/")
    request.user = cast.bob
    html = render_to_string(
        "reviews/_review_panel.html",
        {"thread": review.thread, "user": cast.bob, "request": request},
    )
    assert "★★★★☆" in html
    assert "4/5" in html
    assert f'href="{reverse("product_reviews", args=["lumen-hub"])}"' in html
    assert "3 found this helpful" in html


def test_product_reviews_page_query_count_is_pinned(
    client: Client, four_reviews: list[Review], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # product, rating summary, page count, the page of reviews with their text
    with django_assert_num_queries(4):
        response = client.get(reverse("product_reviews", args=["lumen-hub"]), {"sort": "lowest"})
    assert response.status_code == 200


def test_admin_lists_reviews(client: Client, cast: Cast, four_reviews: list[Review]) -> None:
    login(client, cast.ada)
    changelist = client.get(reverse("admin:reviews_review_changelist"))
    assertContains(changelist, "Broke in a week")
    change = client.get(reverse("admin:reviews_review_change", args=[four_reviews[0].pk]))
    assert change.status_code == 200


def test_the_star_choices_are_translatable() -> None:
    from django.utils.functional import Promise

    from cluetrain.reviews.forms import STAR_LABELS

    assert all(isinstance(label, Promise) for label in STAR_LABELS.values())
