"""The expertise tests' shared history: who solved what before."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cluetrain.expertise import finder
from cluetrain.threads.actions import check_accept_answer, check_create_thread, check_reply
from cluetrain.threads.models import Thread
from cluetrain.topics.models import Topic
from conftest import Cast, Places

OnCommit = Callable[..., Any]


@pytest.fixture(autouse=True)
def _fresh_finder() -> Iterator[None]:
    finder.forget()
    yield
    finder.forget()


@pytest.fixture
def history(cast: Cast, places: Places, django_capture_on_commit_callbacks: OnCommit) -> Thread:
    """bob has solved battery questions; pat answered one about pairing; a new battery
    question by alice waits for an answer."""
    battery = Topic.objects.create(name="Battery", slug="battery")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            old = check_create_thread(
                cast.maya,
                places.qa,
                title=f"Hub battery drains overnight {n}",
                body_md="The battery is empty every morning",
                kind="question",
                tags=[battery],
            )
            answer = check_reply(
                cast.bob, old, body_md="Turn off the always-on radio: battery lasts"
            )
            check_accept_answer(cast.maya, answer)
        pairing = check_create_thread(
            cast.maya,
            places.qa,
            title="Pairing the plug",
            body_md="It will not pair",
            kind="question",
        )
        check_reply(cast.pat, pairing, body_md="Reset the plug and pair again")
        return check_create_thread(
            cast.alice,
            places.qa,
            title="Battery empty after one night",
            body_md="My hub battery drains overnight",
            kind="question",
            tags=[battery],
        )


@pytest.fixture
def pairing_expert(
    cast: Cast, places: Places, history: Thread, django_capture_on_commit_callbacks: OnCommit
) -> Thread:
    """Beside the history: pat answered a question tagged pairing."""
    pairing = Topic.objects.create(name="Pairing", slug="pairing")
    with django_capture_on_commit_callbacks(execute=True):
        question = check_create_thread(
            cast.maya,
            places.qa,
            title="Plug will not pair",
            body_md="Pairing fails",
            kind="question",
            tags=[pairing],
        )
        check_reply(cast.pat, question, body_md="Reset the plug, then pair it again")
    finder.forget()
    return question
