"""Translations: the English catalogue holds every string, French is the proof, the chooser works.

docs/i18n.md says how to add a language. The catalogues are in cluetrain/locale/; the compiled
.mo files are committed beside them (no gettext tools are needed to run Cluetrain).
"""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

import cluetrain
from conftest import Cast

PACKAGE = Path(cluetrain.__file__).parent
LOCALE = PACKAGE / "locale"
# The navigation, the home page, a thread, signing in and the error pages.
VISIBLE = {
    "Spaces": "Espaces",
    "Ideas": "Idées",
    "Reviews": "Avis",
    "People": "Personnes",
    "Log in": "Se connecter",
    "Sign up": "S\u2019inscrire",
    "Log out": "Se déconnecter",
    "Notifications": "Notifications",
    "Search posts and people": "Rechercher des messages et des personnes",
    "Your feed": "Votre fil",
    "Reply": "Répondre",
    "Join the conversation": "Rejoignez la conversation",
    "Forgot your password?": "Mot de passe oublié ?",
    "We could not find that page": "Nous n\u2019avons pas trouvé cette page",
    "You may not do that": "Vous ne pouvez pas faire cela",
    "Something went wrong on our side": "Une erreur est survenue de notre côté",
    "We are back in a moment": "Nous revenons dans un instant",
}


def _unquote(lines: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr (the singular's, for plurals) of a .po file; the header left out.

    A msgid with a context is keyed "context\x04msgid", as gettext keys it in a .mo file.
    """
    entries: dict[str, str] = {}
    for block in path.read_text().split("\n\n"):
        msgctxt = re.search(r"^msgctxt ((?:\".*\"\n?)+)", block, re.M)
        msgid = re.search(r"^msgid ((?:\".*\"\n?)+)", block, re.M)
        msgstr = re.search(r"^msgstr(?:\[0\])? ((?:\".*\"\n?)+)", block, re.M)
        if msgid and msgstr and _unquote(msgid[1]):
            key = _unquote(msgid[1])
            if msgctxt:
                key = f"{_unquote(msgctxt[1])}\x04{key}"
            entries[key] = _unquote(msgstr[1])
    return entries


def _sources(folder: str, names: list[str]) -> set[str]:
    """What makemessages reads (code and templates); not the catalogues, data or caches."""
    return {
        name
        for name in names
        if (not (Path(folder) / name).is_dir() and not name.endswith((".py", ".html", ".txt")))
        or name in ("locale", "__pycache__", "static")
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The English catalogue as makemessages writes it today, from a copy of the package.

    A copy: makemessages writes beside the files it reads, into the committed catalogue.
    """
    copy = tmp_path_factory.mktemp("extract") / "cluetrain"
    shutil.copytree(PACKAGE, copy, ignore=_sources)
    (copy / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        from django.conf import settings

        patch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
        call_command(
            "makemessages", locale=["en"], ignore_patterns=["tests/*", "*/tests/*"], verbosity=0
        )
    return read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")


def test_the_english_catalogue_has_every_string_of_the_code_and_templates(
    extracted: dict[str, str],
) -> None:
    committed = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    missing = sorted(set(extracted) - set(committed))
    stale = sorted(set(committed) - set(extracted))
    hint = "run scripts/messages and commit cluetrain/locale"
    assert not missing, f"not in the catalogue ({hint}): {missing[:10]}"
    assert not stale, f"no longer used ({hint}): {stale[:10]}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_catalogues_have_no_fuzzy_or_obsolete_entries(language: str) -> None:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    assert "\n#~ " not in text
    assert "#, fuzzy" not in text


def test_french_has_the_same_strings_and_the_visible_ones_translated() -> None:
    english = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    french = read_po(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    assert set(french) == set(english)
    for msgid, expected in VISIBLE.items():
        assert french[msgid] == expected


def test_french_translations_are_whole_and_keep_their_placeholders() -> None:
    """A translation pasted twice over, or one that lost or renamed a placeholder, shows on the
    page (the first happened: eight sentences read four times in a row)."""
    french = read_po(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    for msgid, msgstr in french.items():
        if not msgstr:
            continue
        for times in (2, 3, 4):
            part = msgstr[: len(msgstr) // times]
            assert len(part) < 12 or msgstr != part * times, f"repeated: {msgid!r}"
        placeholders = sorted(re.findall(r"%\(\w+\)s", msgid.split("\x04")[-1]))
        assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == placeholders, msgid


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_compiled_catalogues_match_their_sources(language: str) -> None:
    source = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    hint = "run scripts/messages and commit cluetrain/locale"
    for msgid, msgstr in source.items():
        if msgstr and "%(" not in msgid:  # plurals are looked up with ngettext
            assert compiled.gettext(msgid) == msgstr, f"{language}: {msgid!r} ({hint})"


def test_translations_are_used_when_french_is_active() -> None:
    with translation.override("fr"):
        assert translation.gettext("Spaces") == "Espaces"
        assert translation.ngettext("%(reply_count)s reply", "%(reply_count)s replies", 2) == (
            "%(reply_count)s réponses"
        )


def test_the_chooser_switches_the_language_and_remembers_it(cast: Cast, client: Client) -> None:
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in home
    assert 'action="/i18n/setlang/"' in home  # the chooser in every page's footer
    assert ">Spaces</a>" in home
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    french = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in french
    assert ">Espaces</a>" in french
    assert "Nous n\u2019avons pas trouvé" in client.get("/t/999999/").content.decode()


def test_an_unknown_language_is_ignored(cast: Cast, client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert ">Spaces</a>" in client.get(reverse("home")).content.decode()


def test_the_browser_language_is_followed(cast: Cast, client: Client) -> None:
    page = client.get(reverse("home"), headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert ">Espaces</a>" in page.content.decode()


def test_the_cached_navigation_is_kept_per_language(
    cast: Cast, client: Client, settings: Settings
) -> None:
    # The signed-in navigation is a cached fragment: one language must not serve the other.
    client.force_login(cast.sam)
    assert ">Log out</button>" in client.get(reverse("home")).content.decode()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = client.get(reverse("home")).content.decode()
    assert ">Se déconnecter</button>" in french
    assert ">Équipe</summary>" in french


def test_the_catalogue_folder_ships_with_the_package() -> None:
    pyproject = (PACKAGE.parent / "pyproject.toml").read_text()
    assert '"locale/**/*"' in pyproject
