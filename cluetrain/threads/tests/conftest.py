import pytest
from django.test import Client

from cluetrain.members.models import Member
from cluetrain.threads.actions import check_create_thread
from cluetrain.threads.models import Thread
from conftest import Cast, Places


def login(client: Client, member: Member) -> Client:
    client.force_login(member)
    return client


@pytest.fixture
def forum_thread(cast: Cast, places: Places) -> Thread:
    return check_create_thread(
        cast.alice, places.forum, title="Hub drops Wi-Fi", body_md="Since the **update**."
    )


@pytest.fixture
def question(cast: Cast, places: Places) -> Thread:
    return check_create_thread(
        cast.alice, places.qa, title="How do I reset the hub?", body_md="It is stuck."
    )
