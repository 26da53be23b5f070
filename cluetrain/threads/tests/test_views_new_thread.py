from django.test import Client, override_settings

from cluetrain.search.models import SearchEntry
from cluetrain.threads.models import Post, Thread
from cluetrain.threads.tests.conftest import login
from cluetrain.topics.models import Topic
from conftest import Cast, Places


def test_new_thread_with_tags_redirects_to_the_thread(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.alice)
    response = client.post(
        "/s/general/new/",
        {"title": "Hub drops Wi-Fi", "body": "Since **Tuesday**.", "tags": "Wi-Fi, setup, wi-fi"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/"
    assert thread.kind == "discussion"
    assert thread.space == places.forum
    assert sorted(thread.tags.values_list("slug", flat=True)) == ["setup", "wi-fi"]
    assert Post.objects.get().body_html == "<p>Since <strong>Tuesday</strong>.</p>\n"


def test_new_thread_reuses_an_existing_topic(client: Client, cast: Cast, places: Places) -> None:
    Topic.objects.create(name="Setup", slug="setup")
    login(client, cast.alice)
    client.post("/s/general/new/", {"title": "T", "body": "B", "tags": "setup"})
    assert list(Topic.objects.values_list("name", flat=True)) == ["Setup"]


def test_a_question_space_creates_questions(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.alice)
    page = client.get("/s/help/new/")
    assert "Ask a question" in page.content.decode()
    client.post("/s/help/new/", {"title": "How do I reset?", "body": "Stuck."})
    assert Thread.objects.get().kind == "question"


def test_preview_without_javascript_renders_and_writes_nothing(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.alice)
    response = client.post(
        "/s/general/new/", {"title": "T", "body": "*soft* reset", "tags": "", "preview": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p><em>soft</em> reset</p>" in html
    assert "*soft* reset</textarea>" in html
    assert Thread.objects.count() == 0


def test_htmx_preview_returns_the_rendered_fragment(client: Client, cast: Cast) -> None:
    login(client, cast.alice)
    response = client.post("/preview/", {"body": "# Hi <script>x</script>"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Hi &lt;script&gt;x&lt;/script&gt;</h1>" in html
    assert "<html" not in html


@override_settings(POST_MAX_CHARS=100)
def test_oversize_post_is_refused_naming_the_field(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.alice)
    response = client.post("/s/general/new/", {"title": "Long", "body": "x" * 101, "tags": "new"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "body": ["Posts are limited to 100 characters; this one has 101."]
    }
    assert Thread.objects.count() == 0
    assert Post.objects.count() == 0
    assert Topic.objects.count() == 0
    assert SearchEntry.objects.count() == 0


def test_missing_title_is_refused(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.alice)
    response = client.post("/s/general/new/", {"title": " ", "body": "Body"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"title": ["Give your thread a title."]}
    assert Thread.objects.count() == 0


def test_too_many_tags_are_refused(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.alice)
    response = client.post("/s/general/new/", {"title": "T", "body": "B", "tags": "a,b,c,d,e,f"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"tags": ["Use at most 5 tags."]}
    assert Thread.objects.count() == 0
    assert Topic.objects.count() == 0


def test_private_space_is_404_for_outsiders(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.alice)
    assert client.get("/s/staff-room/new/").status_code == 404
    response = client.post("/s/staff-room/new/", {"title": "Let me in", "body": "Please"})
    assert response.status_code == 404
    assert Thread.objects.count() == 0


def test_staff_may_post_in_the_staff_room(client: Client, cast: Cast, places: Places) -> None:
    login(client, cast.sam)
    client.post("/s/staff-room/new/", {"title": "Roadmap", "body": "Q3 plan"})
    assert Thread.objects.get().space == places.staff_room


def test_anonymous_visitors_are_sent_to_log_in(client: Client, places: Places) -> None:
    response = client.post("/s/general/new/", {"title": "T", "body": "B"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/s/general/new/"
    assert Thread.objects.count() == 0


def test_ideas_and_reviews_spaces_send_to_their_own_forms(
    client: Client, cast: Cast, places: Places
) -> None:
    login(client, cast.alice)
    assert client.get("/s/ideas/new/")["Location"] == "/ideas/new/"
    assert client.get("/s/reviews/new/")["Location"] == "/products/"
