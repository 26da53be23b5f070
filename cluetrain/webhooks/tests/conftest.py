import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _allow_the_local_receiver(settings: Settings) -> None:
    # The test receivers listen on 127.0.0.1, which only an administrator's allow-list opens.
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
