"""Links point at the port the site is served on when SITE_URL is not set."""

from pathlib import Path

from cluetrain.core.tests.test_security import _environment, _settings_of


def test_site_url_follows_the_port_unless_set(tmp_path: Path) -> None:
    assert _settings_of(_environment(tmp_path), "SITE_URL") == ["'http://127.0.0.1:8000'"]
    assert _settings_of(_environment(tmp_path, PORT="9010"), "SITE_URL") == [
        "'http://127.0.0.1:9010'"
    ]
    explicit = _environment(tmp_path, PORT="9010", SITE_URL="https://community.example.com")
    assert _settings_of(explicit, "SITE_URL") == ["'https://community.example.com'"]
