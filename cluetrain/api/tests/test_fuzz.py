"""Property-based fuzzing of the served OpenAPI schema with schemathesis, in process.

Every generated request, valid or not, must be answered without a server error, and every
4xx must carry the one error format with a message and only mapped pydantic error types.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from cluetrain.api.errors import ERROR_TEMPLATES
from cluetrain.api.permissions_matrix import MATRIX
from cluetrain.api.tests.conftest import World
from cluetrain.api.tokens import do_create_token

EXAMPLES_PER_OPERATION = 12


def check_answer(status: int, body: Any) -> None:
    assert status < 500
    if status >= 400:
        error = body["error"]
        assert set(error) == {"code", "message", "field", "details"}
        assert isinstance(error["message"], str)
        assert error["message"]
        for detail in error["details"]:
            assert detail["type"] in ERROR_TEMPLATES, detail


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    # Schemathesis calls the WSGI app itself, so the request signals would close the
    # connection holding the test's transaction (Django's test client unhooks them too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_the_test_connection")
@pytest.mark.parametrize("username", ["alice", "maya"])
def test_fuzz_the_served_schema(world: World, settings: Settings, username: str) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    who = world.cast.alice if username == "alice" else world.cast.maya
    _, raw = do_create_token(who, name="fuzz", scope="write")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == len(MATRIX)
    seen: dict[str, int] = {}

    @given(data=st.data())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION * len(operations),
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        response = case.call(headers=headers)
        try:
            body = response.json() if response.status_code >= 400 else None
        except ValueError:
            body = response.text
        request = (case.method, case.formatted_path, case.query, case.body)
        assert isinstance(body, dict | None), (request, response.status_code, body)
        check_answer(response.status_code, body)
        # Successful answers match the documented response schema.
        case.validate_response(response, checks=[response_schema_conformance])
        key = f"{case.method} {case.path}"
        seen[key] = seen.get(key, 0) + 1

    fuzz()
    assert len(seen) >= 40  # the examples reach (almost) every operation
