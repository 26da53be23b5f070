"""Shared personas and places for every test, made with the real models.

alice and bob are customers, sam is staff, maya a moderator, pat a partner, ada the admin.
Spaces: a public forum, a Q&A space, an ideas space, a reviews space, a staff-only space and a
partners-only space, and one product with its company.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from cluetrain.members.models import Member, Profile
from cluetrain.organizations.models import Organization, Product
from cluetrain.spaces.models import Space

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test fixture, not a secret


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Real hashing code, cheap rounds: the suite runs on 2 cores.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_language_afterwards() -> Iterator[None]:
    # A French request leaves French active in the test's thread (LocaleMiddleware activates
    # each request's language and leaves it): the next test must start in the site's language.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _queue_banner_forgotten() -> None:
    # Staff pages keep the stuck-queue check for 10 s per process: a test must not see the
    # banner an earlier test's stuck tasks raised.
    from cluetrain.ops.context_processors import _check_again

    _check_again()


@pytest.fixture
def banner_checked_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff pages check the stuck-queue banner at most once in 10 s per process; a test that
    counts a staff page's queries twice would see the check in one count and not the other
    when the machine is slow (or after another test's check). Checked on every page here."""
    monkeypatch.setattr("cluetrain.ops.context_processors.CHECK_EVERY_S", 0.0)


@dataclass
class Cast:
    alice: Member
    bob: Member
    sam: Member
    maya: Member
    pat: Member
    ada: Member


@dataclass
class Places:
    company: Organization
    product: Product
    forum: Space
    qa: Space
    ideas: Space
    reviews: Space
    staff_room: Space
    partner_lounge: Space


def child_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a Cluetrain command run as a child process: this run's PATH, locale
    and virtualenv, none of the settings Cluetrain reads, and its data folder and SQLite
    database in `data_dir`. Callers add the settings they test with `|`."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH"}
    env = {name: value for name, value in os.environ.items() if name in keep}
    return env | {
        "CLUETRAIN_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'db.sqlite3'}",
    }


def make_member(username: str, role: str, display_name: str = "") -> Member:
    member = Member.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        role=role,
        display_name=display_name or username.capitalize(),
        is_staff=role == Member.Role.ADMIN,
        is_superuser=role == Member.Role.ADMIN,
    )
    Profile.objects.create(member=member)
    return member


@pytest.fixture
def cast(db: None) -> Cast:
    return Cast(
        alice=make_member("alice", Member.Role.CUSTOMER, "Alice Archer"),
        bob=make_member("bob", Member.Role.CUSTOMER, "Bob Baker"),
        sam=make_member("sam", Member.Role.STAFF, "Sam Staff"),
        maya=make_member("maya", Member.Role.MODERATOR, "Maya Mod"),
        pat=make_member("pat", Member.Role.PARTNER, "Pat Partner"),
        ada=make_member("ada", Member.Role.ADMIN, "Ada Admin"),
    )


@pytest.fixture
def places(db: None) -> Places:
    company = Organization.objects.create(
        name="Lumen Home", slug="lumen-home", kind=Organization.Kind.COMPANY
    )
    product = Product.objects.create(organization=company, name="Lumen Hub", slug="lumen-hub")
    kind, vis = Space.Kind, Space.Visibility
    return Places(
        company=company,
        product=product,
        forum=Space.objects.create(name="General", slug="general", kind=kind.FORUM),
        qa=Space.objects.create(name="Help", slug="help", kind=kind.QA),
        ideas=Space.objects.create(name="Ideas", slug="ideas", kind=kind.IDEAS),
        reviews=Space.objects.create(name="Reviews", slug="reviews", kind=kind.REVIEWS),
        staff_room=Space.objects.create(
            name="Staff room", slug="staff-room", kind=kind.FORUM, visibility=vis.STAFF
        ),
        partner_lounge=Space.objects.create(
            name="Partner lounge", slug="partner-lounge", kind=kind.FORUM, visibility=vis.PARTNERS
        ),
    )
