"""Follow this thread: the page's form (no JavaScript, CSRF-checked) and the API."""

from django.test import Client

from cluetrain.api.models import ApiToken
from cluetrain.api.tokens import check_create_token
from cluetrain.threads.actions import check_create_thread
from cluetrain.threads.models import Thread, ThreadFollow
from conftest import Cast, Places


def _follows(thread: Thread) -> list[str]:
    return sorted(
        ThreadFollow.objects.filter(thread=thread).values_list("member__username", flat=True)
    )


def test_follow_and_unfollow_from_the_thread_page(cast: Cast, forum_thread: Thread) -> None:
    client = Client()
    client.force_login(cast.bob)
    page = client.get(f"/t/{forum_thread.pk}/")
    assert 'id="thread-follow"' in page.text
    assert "Follow this thread" in page.text
    followed = client.post(f"/t/{forum_thread.pk}/follow/", {"action": "follow"}, follow=True)
    assert followed.redirect_chain == [(f"/t/{forum_thread.pk}/", 302)]
    assert "Unfollow" in followed.text
    assert _follows(forum_thread) == ["bob"]
    # Twice is still one follow.
    client.post(f"/t/{forum_thread.pk}/follow/", {"action": "follow"})
    assert _follows(forum_thread) == ["bob"]
    unfollowed = client.post(f"/t/{forum_thread.pk}/follow/", {"action": "unfollow"}, follow=True)
    assert "Follow this thread" in unfollowed.text
    assert _follows(forum_thread) == []


def test_the_follow_form_checks_csrf_and_sign_in(cast: Cast, forum_thread: Thread) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.bob)
    assert strict.post(f"/t/{forum_thread.pk}/follow/", {"action": "follow"}).status_code == 403
    anonymous = Client()
    assert 'id="thread-follow"' not in anonymous.get(f"/t/{forum_thread.pk}/").text
    response = anonymous.post(f"/t/{forum_thread.pk}/follow/", {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _follows(forum_thread) == []
    # GET changes nothing.
    assert Client().get(f"/t/{forum_thread.pk}/follow/").status_code in {302, 405}


def test_a_thread_the_member_may_not_read_cannot_be_followed(cast: Cast, places: Places) -> None:
    secret = check_create_thread(cast.sam, places.staff_room, title="Pricing", body_md="x")
    client = Client()
    client.force_login(cast.alice)
    assert client.post(f"/t/{secret.pk}/follow/", {"action": "follow"}).status_code == 404
    _, token = check_create_token(cast.alice, name="t", scope=ApiToken.Scope.WRITE)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.post(f"/api/threads/{secret.pk}/follow").status_code == 404
    assert _follows(secret) == []


def test_follow_through_the_api_with_a_token(cast: Cast, forum_thread: Thread) -> None:
    _, token = check_create_token(cast.bob, name="t", scope=ApiToken.Scope.WRITE)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    response = api.post(f"/api/threads/{forum_thread.pk}/follow")
    assert response.status_code == 200
    assert response.json() == {"thread_id": forum_thread.pk, "following": True}
    assert _follows(forum_thread) == ["bob"]
    response = api.delete(f"/api/threads/{forum_thread.pk}/follow")
    assert response.json() == {"thread_id": forum_thread.pk, "following": False}
    assert _follows(forum_thread) == []
    _, read_only = check_create_token(cast.bob, name="r", scope=ApiToken.Scope.READ)
    reader = Client(headers={"Authorization": f"Bearer {read_only}"})
    assert reader.post(f"/api/threads/{forum_thread.pk}/follow").status_code == 403
    assert _follows(forum_thread) == []
