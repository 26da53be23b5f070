import pytest

from cluetrain.api.tests.conftest import world  # noqa: F401 - the API tests' small world
from cluetrain.ideas.actions import do_create_idea
from cluetrain.ideas.models import Idea
from conftest import Cast, Places


@pytest.fixture
def idea(cast: Cast, places: Places) -> Idea:
    return do_create_idea(
        cast.alice,
        places.ideas,
        title="Sunrise scene",
        body_md="Turn the lights off at sunrise.",
        product=places.product,
    )
