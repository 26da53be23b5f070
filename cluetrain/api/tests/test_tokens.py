"""Personal tokens: shown once, stored hashed, revocable, scoped; and their settings page."""

import hashlib

from django.test import Client
from django.utils import formats, timezone, translation

from cluetrain.api.models import ApiToken
from cluetrain.api.tests.conftest import ApiClient, World
from cluetrain.api.tokens import authenticate_token, do_create_token
from cluetrain.threads.models import Post
from conftest import PASSWORD


def test_a_new_token_is_shown_once_and_stored_hashed(world: World) -> None:
    client = world.client(world.cast.alice)
    response = client.post("/api/tokens", {"name": "My script", "scope": "write"})
    assert response.status_code == 201
    raw = response.json()["token"]
    assert raw.startswith("ct_")
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.token_hash, token.prefix, token.name}
    assert token.prefix == raw[:10]
    listed = client.get("/api/tokens").json()["items"]
    assert [item["name"] for item in listed] == ["My script", "tests"]
    assert all("token" not in item for item in listed)
    assert ApiClient(raw).get("/api/me").json()["username"] == "alice"


def test_a_wrong_or_revoked_token_gets_401(world: World) -> None:
    token, raw = do_create_token(world.cast.alice, name="old", scope="write")
    client = ApiClient(raw)
    assert client.get("/api/me").status_code == 200
    revoked = client.delete(f"/api/tokens/{token.pk}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert ApiClient("ct_not-a-token").get("/api/spaces").status_code == 401
    malformed = Client().get("/api/spaces", headers={"Authorization": "Basic abc"})
    assert malformed.status_code == 401


def test_a_read_token_reads_but_gets_403_on_writes(world: World) -> None:
    client = world.client(world.cast.alice, scope="read")
    assert client.get("/api/me").status_code == 200
    before = Post.objects.count()
    response = client.post(f"/api/threads/{world.thread.pk}/posts", {"body": "Hi"})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This token may only read: create a write token."
    assert Post.objects.count() == before


def test_tokens_of_others_are_not_found(world: World) -> None:
    bobs, _ = do_create_token(world.cast.bob, name="bob's", scope="write")
    response = world.client(world.cast.alice).delete(f"/api/tokens/{bobs.pk}")
    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.revoked_at is None


def test_last_use_is_recorded(world: World) -> None:
    token, raw = do_create_token(world.cast.alice, name="t", scope="read")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    found = authenticate_token(raw)
    assert found is not None
    assert found.pk == token.pk
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert authenticate_token(raw.upper()) is None


def _logged_in(world: World) -> Client:
    client = Client()
    assert client.login(username="alice", password=PASSWORD)
    return client


def test_the_tokens_page_creates_shows_once_and_revokes(world: World) -> None:
    assert Client().get("/settings/tokens/").status_code == 302
    client = _logged_in(world)
    response = client.post("/settings/tokens/", {"name": "Laptop", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Laptop")
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    again = client.get("/settings/tokens/").content.decode()
    assert "Laptop" in again
    assert "never used" in again
    assert raw not in again
    revoked = client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_on_the_page_asks_first(world: World) -> None:
    token, _raw = do_create_token(world.cast.alice, name="Laptop", scope="read")
    client = _logged_in(world)
    revoke_url = f"/settings/tokens/{token.pk}/revoke/"
    listing = client.get("/settings/tokens/").content.decode()
    assert f'href="{revoke_url}"' in listing
    assert f'action="{revoke_url}"' not in listing  # no one-click revocation on the list

    asked = client.get(revoke_url)
    assert asked.status_code == 200
    question = asked.content.decode()
    assert "Laptop" in question
    assert f'<form method="post" action="{revoke_url}">' in question
    assert 'href="/settings/tokens/"' in question  # cancel
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    bobs, _raw = do_create_token(world.cast.bob, name="Bob's", scope="read")
    assert client.get(f"/settings/tokens/{bobs.pk}/revoke/").status_code == 404

    assert client.post(revoke_url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Already revoked: nothing left to ask about.
    assert client.get(revoke_url)["Location"] == "/settings/tokens/"


def test_the_tokens_page_refuses_a_blank_name(world: World) -> None:
    client = _logged_in(world)
    response = client.post("/settings/tokens/", {"name": " ", "scope": "read"})
    assert response.status_code == 400
    assert ApiToken.objects.filter(member=world.cast.alice).count() == 0


def test_session_auth_needs_the_csrf_token_for_writes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)
    assert client.get("/api/me").json()["username"] == "alice"
    before = Post.objects.count()
    path = f"/api/threads/{world.thread.pk}/posts"
    refused = client.post(path, {"body": "Hi"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert Post.objects.count() == before
    client.get("/settings/tokens/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        path, {"body": "Hi"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201
    assert Post.objects.count() == before + 1


def test_the_tokens_page_writes_dates_the_reader_s_way(world: World) -> None:
    token, _raw = do_create_token(world.cast.alice, name="Dated", scope="read")
    client = Client()
    assert client.login(username="alice", password=PASSWORD)
    client.cookies["django_language"] = "fr"
    page = client.get("/settings/tokens/").content.decode()
    with translation.override("fr"):
        created = formats.date_format(timezone.localtime(token.created_at), "SHORT_DATETIME_FORMAT")
    assert created in page


def test_the_token_form_labels_are_translatable() -> None:
    from django.utils.functional import Promise

    from cluetrain.api.views import TokenForm

    assert all(isinstance(f.label, Promise) for f in TokenForm().fields.values())


def test_the_django_admin_offers_no_way_to_add_a_token(world: World) -> None:
    # Its add form had no member field (read-only): saving one was a server error.
    client = Client()
    client.force_login(world.cast.ada)
    before = ApiToken.objects.count()
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    listing = client.get("/admin/api/apitoken/").content.decode()
    assert 'href="/admin/api/apitoken/add/"' not in listing
    refused = client.post("/admin/api/apitoken/add/", {"name": "x", "scope": "read"})
    assert refused.status_code == 403
    assert ApiToken.objects.count() == before
