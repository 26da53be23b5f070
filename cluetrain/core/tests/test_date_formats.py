"""Dates on pages: "5 Dec 2026" in English, "5 déc 2026" in French (not "Déc")."""

from datetime import datetime

from django.template import Context, Template
from django.utils import translation

WHEN = datetime(2026, 12, 5, 18, 0)  # noqa: DTZ001 - a naive date, formatted as is


def _render(language: str, fmt: str) -> str:
    with translation.override(language):
        return Template("{{ when|date:'" + fmt + "' }}").render(Context({"when": WHEN}))


def test_short_dates_are_ours_and_french_months_stay_in_lower_case() -> None:
    assert _render("en", "SHORT_DATE_FORMAT") == "5 Dec 2026"
    assert _render("en", "SHORT_DATETIME_FORMAT") == "5 Dec 2026 18:00"
    assert _render("fr", "SHORT_DATE_FORMAT") == "5 déc 2026"
    assert _render("fr", "SHORT_DATETIME_FORMAT") == "5 déc 2026 18:00"
