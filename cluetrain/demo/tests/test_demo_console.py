"""What `cluetrain demo` prints: no e-mails on the console, and where to find the site."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

CONSOLE = "django.core.mail.backends.console.EmailBackend"


def test_alert_emails_go_to_files_not_the_console(
    db: None,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.EMAIL_BACKEND = CONSOLE  # the development default
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("PORT", "8765")
    out = StringIO()
    call_command("demo", members=40, posts=300, verbosity=0, stdout=out)
    printed = out.getvalue() + capsys.readouterr().out
    assert "Subject:" not in printed
    assert "Message-ID:" not in printed
    folder = tmp_path / "demo-mail"
    files = list(folder.iterdir()) if folder.is_dir() else []
    sent = sum(p.read_text(encoding="utf-8").count("\nMessage-ID: ") for p in files)
    # However many the small demo sends (its alert may reach no staff address), the line says it.
    assert f"{sent} e-mails (alerts to staff) written to {folder}/." in printed
    # The address `cluetrain serve` will use with this environment.
    assert "`cluetrain serve` (scripts/demo does next): http://127.0.0.1:8765/ (with" in printed


def test_the_stories_after_influence_say_what_they_plant(
    db: None, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # They took about two minutes at the default size with nothing on the screen.
    settings.DATA_DIR = tmp_path
    call_command("demo", members=40, posts=300, verbosity=1, stdout=StringIO())
    progress = capsys.readouterr().err
    assert "Stories" in progress
    for story in ["a vote ring", "the partner network", "relationships", "10/10, done"]:
        assert story in progress
    assert progress.index("Influence") < progress.index("Stories")


def test_a_second_run_still_says_how_to_log_in(
    db: None, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # scripts/demo run again (the demo already there) served it without a word of the log-ins.
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("PORT", "8765")
    call_command("demo", members=40, posts=300, verbosity=0, stdout=StringIO())
    again = StringIO()
    call_command("demo", verbosity=0, stdout=again)
    printed = again.getvalue()
    assert "already there" in printed
    assert "http://127.0.0.1:8765/" in printed
    assert "Log in as any of: admin, staff, moderator, partner, customer\n" in printed
    assert "Password: cluetrain-demo\n" in printed
