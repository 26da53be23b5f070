"""A small world for the API tests: the cast, the places, a few threads, and token clients."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from cluetrain.api.models import ApiToken
from cluetrain.api.tokens import do_create_token
from cluetrain.ideas.actions import do_create_idea
from cluetrain.ideas.models import Idea
from cluetrain.members.actions import do_request_connection
from cluetrain.members.models import Connection, Member
from cluetrain.moderation.actions import do_flag_post
from cluetrain.moderation.models import Flag
from cluetrain.reviews.actions import do_post_review
from cluetrain.reviews.models import Review
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places


class ApiClient:
    """A test client that speaks JSON with a bearer token (or none: anonymous)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        if method == "GET":
            return self.client.get(path, params, headers=self.headers)
        data = "" if body is None else body
        send = getattr(self.client, method.lower())
        return send(path, data, content_type="application/json", headers=self.headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.call("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)


@dataclass
class World:
    cast: Cast
    places: Places
    thread: Thread  # alice's discussion in the public forum
    opening: Post
    reply: Post  # bob's reply to it
    question: Thread  # alice's question in the Q&A space, with bob's answer
    answer: Post
    staff_thread: Thread
    idea: Idea  # bob's idea
    review: Review  # bob's review of the product
    flag: Flag  # bob flagged alice's opening post
    connection: Connection  # bob asked alice to connect

    def client(self, who: Member | None, scope: str = ApiToken.Scope.WRITE) -> ApiClient:
        if who is None:
            return ApiClient()
        _, raw = do_create_token(who, name="tests", scope=scope)
        return ApiClient(raw)


@pytest.fixture
def world(cast: Cast, places: Places) -> World:
    thread = do_create_thread(
        cast.alice,
        places.forum,
        title="Hub keeps rebooting",
        body_md="Since the update.",
        kind="discussion",
    )
    opening = thread.posts.get()
    reply = do_reply(cast.bob, thread, body_md="Same here.")
    question = do_create_thread(
        cast.alice, places.qa, title="How do I pair a bulb?", body_md="Help!", kind="question"
    )
    answer = do_reply(cast.bob, question, body_md="Hold the button for 5 seconds.")
    staff_thread = do_create_thread(
        cast.sam, places.staff_room, title="Roadmap", body_md="Internal.", kind="discussion"
    )
    idea = do_create_idea(cast.bob, places.ideas, title="Dark mode", body_md="Please.")
    review = do_post_review(
        cast.bob, places.product, places.reviews, stars=4, title="Solid", body_md="Works well."
    )
    flag = do_flag_post(cast.bob, opening, reason="spam")
    connection = do_request_connection(cast.bob, cast.alice)
    return World(
        cast=cast,
        places=places,
        thread=thread,
        opening=opening,
        reply=reply,
        question=question,
        answer=answer,
        staff_thread=staff_thread,
        idea=idea,
        review=review,
        flag=flag,
        connection=connection,
    )
