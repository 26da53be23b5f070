"""Fixtures shared by the relationships tests."""

from collections.abc import Callable
from typing import Any

import pytest

OnCommit = Callable[..., Any]


@pytest.fixture
def run(django_capture_on_commit_callbacks: OnCommit) -> Callable[..., Any]:
    """Run an action and everything that reacts to it after commit."""

    def call(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return call
