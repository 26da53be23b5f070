from collections.abc import Callable
from typing import Any

from django.test import Client

from cluetrain.members.models import Member

OnCommit = Callable[..., Any]


def client_of(member: Member | None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client
