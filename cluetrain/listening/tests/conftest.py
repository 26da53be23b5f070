import pytest

from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.readers import forget_readers
from cluetrain.threads.actions import do_create_thread
from cluetrain.threads.models import Post, Thread
from conftest import Cast, Places


@pytest.fixture
def read(cast: Cast, places: Places) -> Post:
    """An angry complaint about the hub, read by the listening engine."""
    forget_readers()
    thread = do_create_thread(
        cast.alice,
        places.forum,
        title="Hub",
        body_md="My Lumen Hub keeps dropping wifi after the update. Furious, nothing works!",
        kind=Thread.Kind.DISCUSSION,
    )
    enrich_pending()
    return thread.posts.get()
