from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from pytest_django.fixtures import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from cluetrain.ideas.actions import do_change_idea_status, do_create_idea, do_vote_idea
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Thread
from conftest import PASSWORD, Cast, Places


def login(client: Client, member: Member) -> Client:
    assert client.login(username=member.username, password=PASSWORD)
    return client


def _idea(places: Places, author: Member, title: str, days_ago: int, votes: int = 0) -> Idea:
    idea = do_create_idea(
        author,
        places.ideas,
        title=title,
        body_md=f"About {title}",
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    Idea.objects.filter(pk=idea.pk).update(vote_count=votes)
    idea.refresh_from_db()
    return idea


@pytest.fixture
def board(cast: Cast, places: Places) -> dict[str, Idea]:
    ideas = {
        "dark": _idea(places, cast.alice, "Dark mode", days_ago=3, votes=5),
        "sunrise": _idea(places, cast.bob, "Sunrise scene", days_ago=2, votes=9),
        "voice": _idea(places, cast.pat, "Voice control", days_ago=1, votes=1),
    }
    do_change_idea_status(cast.sam, ideas["sunrise"], status="planned", explanation="Spring.")
    return ideas


def titles(response: object) -> list[str]:
    return [idea.thread.title for idea, _ in response.context["ideas"]]  # type: ignore[attr-defined]


def test_board_sorts_by_top_votes_and_newest(client: Client, board: dict[str, Idea]) -> None:
    assert titles(client.get(reverse("ideas"))) == ["Sunrise scene", "Dark mode", "Voice control"]
    newest = client.get(reverse("ideas"), {"sort": "newest"})
    assert titles(newest) == ["Voice control", "Sunrise scene", "Dark mode"]


def test_board_filters_by_status_with_counts(client: Client, board: dict[str, Idea]) -> None:
    response = client.get(reverse("ideas"), {"status": "planned"})
    assert titles(response) == ["Sunrise scene"]
    assert response.context["tabs"] == [
        ("", "All", 3),
        ("new", "New", 2),
        ("under_review", "Under review", 0),
        ("planned", "Planned", 1),
        ("in_progress", "In progress", 0),
        ("done", "Done", 0),
        ("declined", "Declined", 0),
    ]
    assert titles(client.get(reverse("ideas"), {"status": "done"})) == []
    assert titles(client.get(reverse("ideas"), {"status": "bogus"})) == [
        "Sunrise scene",
        "Dark mode",
        "Voice control",
    ]


def test_board_row_shows_votes_status_author_comments(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    Thread.objects.filter(pk=board["sunrise"].thread_id).update(reply_count=4)
    do_vote_idea(cast.alice, board["dark"])
    response = login(client, cast.alice).get(reverse("ideas"))
    html = response.content.decode()
    assert '<span class="badge">Planned</span>' in html
    assertContains(response, "4 comments")
    assertContains(response, "Bob Baker")
    assert [(idea.thread.title, voted) for idea, voted in response.context["ideas"]] == [
        ("Sunrise scene", False),
        ("Dark mode", True),
        ("Voice control", False),
    ]
    assertContains(response, "✓ Voted", count=1)


def test_board_paginates(client: Client, cast: Cast, places: Places) -> None:
    for number in range(23):
        _idea(places, cast.alice, f"Idea {number:02}", days_ago=number, votes=100 - number)
    second = client.get(reverse("ideas"), {"page": 2})
    assert titles(second) == ["Idea 20", "Idea 21", "Idea 22"]
    assertContains(second, "Page 2 of 2")


def test_private_idea_spaces_never_leak(client: Client, cast: Cast, places: Places) -> None:
    staff_ideas = Space.objects.create(
        name="Staff ideas", slug="staff-ideas", kind=Space.Kind.IDEAS, visibility="staff"
    )
    partner_ideas = Space.objects.create(
        name="Partner ideas", slug="partner-ideas", kind=Space.Kind.IDEAS, visibility="partners"
    )
    do_create_idea(cast.sam, staff_ideas, title="Secret roadmap", body_md="x")
    do_create_idea(cast.pat, partner_ideas, title="Partner portal", body_md="x")
    _idea(places, cast.alice, "Public idea", days_ago=1)

    anonymous = client.get(reverse("ideas"))
    assert titles(anonymous) == ["Public idea"]
    assert anonymous.context["tabs"][0] == ("", "All", 1)
    assertNotContains(anonymous, "Secret roadmap")
    assertNotContains(anonymous, "Partner portal")
    assert titles(login(Client(), cast.alice).get(reverse("ideas"))) == ["Public idea"]
    assert sorted(titles(login(Client(), cast.pat).get(reverse("ideas")))) == [
        "Partner portal",
        "Public idea",
    ]
    assert len(titles(login(Client(), cast.sam).get(reverse("ideas")))) == 3


def test_private_idea_cannot_be_voted_on_or_seen(
    client: Client, cast: Cast, places: Places
) -> None:
    staff_ideas = Space.objects.create(
        name="Staff ideas", slug="staff-ideas", kind=Space.Kind.IDEAS, visibility="staff"
    )
    secret = do_create_idea(cast.sam, staff_ideas, title="Secret roadmap", body_md="x")
    login(client, cast.alice)
    assert client.post(reverse("idea_vote", args=[secret.pk])).status_code == 404
    assert client.get(reverse("idea_status", args=[secret.pk])).status_code == 404
    assert IdeaVote.objects.count() == 0


def test_hidden_idea_is_not_on_the_board(client: Client, board: dict[str, Idea]) -> None:
    Thread.objects.filter(pk=board["dark"].thread_id).update(is_hidden=True)
    assert titles(client.get(reverse("ideas"))) == ["Sunrise scene", "Voice control"]


def test_vote_without_js_redirects_back(client: Client, cast: Cast, board: dict[str, Idea]) -> None:
    idea = board["dark"]
    login(client, cast.bob)
    back = reverse("ideas") + "?sort=newest"
    response = client.post(reverse("idea_vote", args=[idea.pk]), {"next": back})
    assertRedirects(response, back, fetch_redirect_response=False)
    idea.refresh_from_db()
    assert idea.vote_count == 6
    assert IdeaVote.objects.filter(idea=idea, member=cast.bob).count() == 1


def test_vote_redirect_refuses_other_sites(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    idea = board["dark"]
    login(client, cast.bob)
    response = client.post(reverse("idea_vote", args=[idea.pk]), {"next": "https://evil.test/"})
    assertRedirects(
        response, reverse("thread", args=[idea.thread_id]), fetch_redirect_response=False
    )


def test_vote_with_htmx_swaps_the_votebox(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    idea = board["voice"]
    login(client, cast.bob)
    url = reverse("idea_vote", args=[idea.pk])
    voted = client.post(url, {"action": "vote"}, headers={"HX-Request": "true"})
    assert voted.status_code == 200
    assert voted.content.decode().startswith(f'<div class="votebox" id="votebox-{idea.pk}">')
    assertContains(voted, "<strong>2</strong>")
    assertContains(voted, "✓ Voted")
    unvoted = client.post(url, {"action": "unvote"}, headers={"HX-Request": "true"})
    assertContains(unvoted, "<strong>1</strong>")
    assertContains(unvoted, "▲ Vote")
    assert IdeaVote.objects.count() == 0


def test_double_vote_is_refused_with_409(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    idea = board["voice"]
    do_vote_idea(cast.bob, idea)
    login(client, cast.bob)
    url = reverse("idea_vote", args=[idea.pk])
    response = client.post(url, {"action": "vote"})
    assertContains(response, "You have already voted for this idea.", status_code=409)
    htmx = client.post(url, {"action": "vote"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 409
    assert htmx["HX-Refresh"] == "true"
    idea.refresh_from_db()
    assert idea.vote_count == 2
    assert IdeaVote.objects.count() == 1


def test_vote_needs_login_and_post(client: Client, board: dict[str, Idea]) -> None:
    url = reverse("idea_vote", args=[board["dark"].pk])
    assertRedirects(
        client.post(url), f"{reverse('login')}?next={url}", fetch_redirect_response=False
    )
    assert IdeaVote.objects.count() == 0


def test_vote_get_is_not_allowed(client: Client, cast: Cast, board: dict[str, Idea]) -> None:
    login(client, cast.bob)
    assert client.get(reverse("idea_vote", args=[board["dark"].pk])).status_code == 405
    assert IdeaVote.objects.count() == 0


def test_staff_status_change_page_notifies_voters(
    client: Client,
    cast: Cast,
    board: dict[str, Idea],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    idea = board["dark"]
    do_vote_idea(cast.bob, idea)
    login(client, cast.sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("idea_status", args=[idea.pk]),
            {"status": "in_progress", "explanation": "Building it now."},
        )
    assertRedirects(
        response, reverse("thread", args=[idea.thread_id]), fetch_redirect_response=False
    )
    idea.refresh_from_db()
    assert idea.status == "in_progress"
    recipients = Notification.objects.filter(idea=idea).values_list("recipient__username", "kind")
    assert sorted(recipients) == [("alice", "idea_status"), ("bob", "idea_status")]


def test_status_change_page_refuses_customers(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    idea = board["dark"]
    login(client, cast.alice)
    url = reverse("idea_status", args=[idea.pk])
    response = client.post(url, {"status": "done", "explanation": "I did it myself"})
    assertContains(response, "Only staff can change the status of an idea.", status_code=403)
    assert client.get(url).status_code == 403
    idea.refresh_from_db()
    assert idea.status == "new"
    assert IdeaStatusChange.objects.filter(idea=idea).count() == 0
    assert Notification.objects.count() == 0


def test_status_change_without_explanation_is_400(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    idea = board["dark"]
    login(client, cast.sam)
    response = client.post(
        reverse("idea_status", args=[idea.pk]), {"status": "planned", "explanation": " "}
    )
    assertContains(response, "Explain the change", status_code=400)
    idea.refresh_from_db()
    assert idea.status == "new"
    assert IdeaStatusChange.objects.filter(idea=idea).count() == 0


def test_new_idea_page(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.bob)
    page = client.get(reverse("idea_new"))
    assertContains(page, "Share an idea")
    assert [space.slug for space in page.context["form"].fields["space"].queryset] == ["ideas"]
    response = client.post(
        reverse("idea_new"),
        {"space": places.ideas.pk, "product": places.product.pk, "title": "Geo", "body": "Yes"},
    )
    idea = Idea.objects.get()
    assertRedirects(
        response, reverse("thread", args=[idea.thread_id]), fetch_redirect_response=False
    )
    assert (idea.thread.title, idea.thread.author, idea.product) == (
        "Geo",
        cast.bob,
        places.product,
    )


def test_new_idea_in_a_private_space_is_refused(client: Client, cast: Cast, places: Places) -> None:
    staff_ideas = Space.objects.create(
        name="Staff ideas", slug="staff-ideas", kind=Space.Kind.IDEAS, visibility="staff"
    )
    login(client, cast.bob)
    response = client.post(
        reverse("idea_new"), {"space": staff_ideas.pk, "title": "Sneaky", "body": "In"}
    )
    assertContains(response, "Choose one of the listed ideas spaces.", status_code=400)
    assert Thread.objects.count() == 0


def test_new_idea_with_empty_title_is_400(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.bob)
    response = client.post(reverse("idea_new"), {"space": places.ideas.pk, "body": "In"})
    assertContains(response, "Give your thread a title.", status_code=400)
    assert Thread.objects.count() == 0


def test_idea_panel_shows_status_history_and_staff_form(cast: Cast, board: dict[str, Idea]) -> None:
    idea = board["sunrise"]
    request = RequestFactory().get("/")

    def panel(member: Member) -> str:
        request.user = member
        return render_to_string(
            "ideas/_idea_panel.html", {"thread": idea.thread, "user": member, "request": request}
        )

    html = panel(cast.alice)
    assert "<strong>9</strong>" in html
    assert "Planned" in html
    assert "<p>Spring.</p>" in html
    assert "from New · Sam Staff" in html
    assert "Change status (staff)" not in html
    assert "Change status (staff)" in panel(cast.sam)


def test_board_query_count_is_pinned(
    client: Client, board: dict[str, Idea], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # status counts, page count, the page of ideas with authors, spaces and products
    with django_assert_num_queries(3):
        response = client.get(reverse("ideas"), {"status": "new", "sort": "newest"})
    assert titles(response) == ["Voice control", "Dark mode"]


def test_new_idea_page_preselects_space_and_product(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.bob)
    page = client.get(reverse("idea_new"), {"space": "ideas", "product": "lumen-hub"})
    assert page.context["form"].initial == {"space": places.ideas, "product": places.product}


def test_board_filters_by_product_and_keeps_choices_in_links(
    client: Client, cast: Cast, places: Places, board: dict[str, Idea]
) -> None:
    Idea.objects.filter(pk__in=[board["dark"].pk, board["sunrise"].pk]).update(
        product=places.product
    )
    response = client.get(reverse("ideas"), {"product": "lumen-hub", "sort": "newest"})
    assert titles(response) == ["Sunrise scene", "Dark mode"]
    assert response.context["tabs"][:2] == [("", "All", 2), ("new", "New", 1)]
    assertContains(response, 'href="?status=planned&amp;sort=newest&amp;product=lumen-hub"')
    assertContains(response, 'href="?product=lumen-hub">Top votes</a>')
    assertContains(response, 'href="?sort=newest"')  # the way back to all products
    assert titles(client.get(reverse("ideas"), {"product": "nope"})) == [
        "Sunrise scene",
        "Dark mode",
        "Voice control",
    ]


def test_admin_pages_list_ideas_votes_and_history(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    do_vote_idea(cast.bob, board["sunrise"])
    login(client, cast.ada)
    assertContains(client.get(reverse("admin:ideas_idea_changelist")), "Sunrise scene")
    assertContains(client.get(reverse("admin:ideas_ideavote_changelist")), "1 idea vote")
    change = client.get(reverse("admin:ideas_idea_change", args=[board["sunrise"].pk]))
    assertContains(change, "Spring.")


def test_staff_status_page_shows_the_form(
    client: Client, cast: Cast, board: dict[str, Idea]
) -> None:
    login(client, cast.sam)
    page = client.get(reverse("idea_status", args=[board["dark"].pk]))
    assertContains(page, "Change the status of “Dark mode”")
    assertContains(page, '<option value="planned">Planned</option>', html=True)
