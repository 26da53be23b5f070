"""The one error format, and messages for pydantic errors that name the field."""

from typing import Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from cluetrain.api.errors import ERROR_TEMPLATES, validation_message
from cluetrain.api.tests.conftest import ApiClient, World
from cluetrain.reviews.models import Review
from cluetrain.threads.models import Thread


def test_a_bad_value_names_its_field(world: World) -> None:
    client = world.client(world.cast.alice)
    body = {"stars": 6, "title": "Great", "body": "Yes."}
    response = client.post("/api/products/lumen-hub/reviews", body)
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "stars: Input should be less than or equal to 5",
            "field": "stars",
            "details": [
                {
                    "type": "less_than_equal",
                    "field": "stars",
                    "message": "stars: Input should be less than or equal to 5",
                }
            ],
        }
    }
    assert not Review.objects.filter(author=world.cast.alice).exists()


def test_unknown_and_missing_fields_are_refused(world: World) -> None:
    client = world.client(world.cast.alice)
    before = Thread.objects.count()
    response = client.post("/api/spaces/general/threads", {"title": "Hi", "colour": "red"})
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert sorted((d["type"], d["message"]) for d in details) == [
        ("extra_forbidden", "colour: Unknown field"),
        ("missing", "body_md: This field is required"),
    ]
    assert Thread.objects.count() == before


@pytest.mark.parametrize("stars", [True, "5", "1"])
def test_a_number_must_be_a_json_number(world: World, stars: object) -> None:
    # Pydantic's lax mode read `true` as a 1-star review and "5" as 5 stars.
    client = world.client(world.cast.alice)
    body = {"stars": stars, "title": "Great", "body_md": "Yes."}
    response = client.post("/api/products/lumen-hub/reviews", body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "stars: Input should be a whole number"
    assert not Review.objects.filter(author=world.cast.alice).exists()


def test_a_refused_action_keeps_its_status_and_field(world: World) -> None:
    client = world.client(world.cast.bob)
    body = {"stars": 5, "title": "Again", "body": "Twice?"}
    response = client.post("/api/products/lumen-hub/reviews", body)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["message"] == (
        "You have already reviewed Lumen Hub. Reply to your review to add an update."
    )
    assert Review.objects.filter(author=world.cast.bob).count() == 1


def test_objects_the_caller_may_not_see_are_not_found(world: World) -> None:
    client = world.client(world.cast.alice)
    response = client.get(f"/api/threads/{world.staff_thread.pk}")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "No such thread.",
        "field": None,
        "details": [],
    }
    assert world.client(world.cast.sam).get(f"/api/threads/{world.staff_thread.pk}").json()[
        "title"
    ] == ("Roadmap")
    assert client.get("/api/no/such/endpoint").json()["error"]["code"] == "not_found"


def test_malformed_json_is_a_400(world: World) -> None:
    client = world.client(world.cast.alice)
    response = client.client.post(
        "/api/tokens", "{nope", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Cannot parse request body"


class Sample(BaseModel):
    model_config = {"extra": "forbid"}
    count: int = Field(ge=1, le=5)
    name: str = Field(min_length=2, max_length=3)
    tags: list[str] = Field(default_factory=list, max_length=1)
    flag: bool = False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "ab"}, "count: This field is required"),
        ({"count": 0, "name": "ab"}, "count: Input should be greater than or equal to 1"),
        ({"count": "x", "name": "ab"}, "count: Input should be a whole number"),
        ({"count": 1.5, "name": "ab"}, "count: Input should be a whole number"),
        ({"count": 1, "name": "a"}, "name: Should have at least 2 characters"),
        ({"count": 1, "name": "abcd"}, "name: Should have at most 3 characters"),
        ({"count": 1, "name": 5}, "name: Input should be a string"),
        ({"count": 1, "name": "ab", "tags": ["a", "b"]}, "tags: Should have at most 1 item"),
        ({"count": 1, "name": "ab", "tags": "a"}, "tags: Input should be a list"),
        ({"count": 1, "name": "ab", "flag": "maybe"}, "flag: Input should be true or false"),
        ({"count": 1, "name": "ab", "x": 1}, "x: Unknown field"),
    ],
)
def test_every_pydantic_error_gets_its_mapped_message(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Sample.model_validate(data)
    error = raised.value.errors()[0]
    assert error["type"] in ERROR_TEMPLATES
    assert validation_message(dict(error)) == message


def test_a_count_of_one_is_worded_in_the_singular(world: World) -> None:
    # It said "q: Should have at least 1 characters" for an empty search.
    response = world.client(world.cast.alice).get("/api/search/posts", q="")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "q: Should have at least 1 character"


def test_every_template_formats_with_pydantic_context() -> None:
    # Each template's placeholders are ones pydantic gives for that type.
    context = {"min_length": 1, "max_length": 2, "pattern": "x", "ge": 1, "le": 2, "gt": 1}
    context |= {"lt": 2, "expected": "'a' or 'b'", "error": "bad"}
    context |= {"max_digits": 12, "decimal_places": 2, "whole_digits": 10}
    for error_type, template in ERROR_TEMPLATES.items():
        message = str(template).format(field="f", **context)
        assert message.startswith("f: "), error_type


def test_null_characters_are_refused_naming_the_field(world: World) -> None:
    # Found by the schemathesis run on PostgreSQL, which cannot store NUL in text.
    client = world.client(world.cast.alice)
    before = Thread.objects.count()
    response = client.post(
        "/api/ideas", {"title": "Dark mode", "body": "Please", "space": "id\x00"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "space"
    assert response.json()["error"]["message"] == "space: Null characters are not allowed"
    assert Thread.objects.count() == before


def test_null_characters_inside_a_list_are_refused_too(world: World) -> None:
    # Found by the schemathesis run on PostgreSQL: a jam's moderators list carried a NUL.
    client = world.client(world.cast.sam)
    response = client.post(
        "/api/jams",
        {
            "title": "Ideas week",
            "question": "What should we build?",
            "starts_at": "2026-12-01T10:00:00Z",
            "ends_at": "2026-12-08T10:00:00Z",
            "hosts": ["sam"],
            "moderators": ["ma\x00ya"],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "moderators"
    assert "Null characters are not allowed" in response.json()["error"]["message"]


def test_a_method_the_endpoint_does_not_take_answers_in_the_error_format(world: World) -> None:
    # Ninja answers a bare text/html "Method not allowed"; a client parsing every 4xx as the
    # error shape would choke on it.
    response = world.client(world.cast.alice).call("PUT", "/api/spaces", {})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "This endpoint does not take PUT; it takes GET, HEAD.",
        "field": None,
        "details": [],
    }


@pytest.mark.parametrize("sent", ["", "null", "[]", '"like"'])
def test_a_body_that_is_not_an_object_is_named_as_the_body(world: World, sent: str) -> None:
    # It was "body: This field is required", which read as the posts' deprecated `body`.
    client = world.client(world.cast.bob)
    response = client.client.post(
        f"/api/posts/{world.opening.pk}/reactions",
        sent,
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["field"], error["message"]) == (None, "Send a JSON object as the request body.")


def test_head_is_answered_as_get_without_the_body(world: World) -> None:
    # Ninja refused HEAD with a 405, though HTTP servers must take it wherever GET is taken.
    client = world.client(world.cast.alice)
    got = client.get("/api/spaces")
    head = client.client.head("/api/spaces", headers=client.headers)
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Content-Length"] == str(len(got.content))
    refused = client.client.head("/api/tokens/1", headers=client.headers)
    assert (refused.status_code, refused["Allow"], refused.content) == (405, "DELETE", b"")


def test_the_api_root_is_a_json_not_found(world: World) -> None:
    # /api/ itself answered Django's HTML 404 page; every other unknown path is JSON.
    response = world.client(None).get("/api/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_401_names_the_scheme_to_use(world: World) -> None:
    # RFC 9110: a 401 must carry WWW-Authenticate; it had none.
    anonymous = world.client(None).post("/api/tokens", {"name": "x"})
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="api"'
    wrong = ApiClient("ct_nonsense").get("/api/me")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'
