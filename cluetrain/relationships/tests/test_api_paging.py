"""`/api/relationships` pages through every tie, strongest first (it stopped at 100)."""

from datetime import UTC, datetime

from cluetrain.api.pagination import encode_cursor
from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tests.paging import assert_cursor_refused, read_all_pages
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization, Product
from cluetrain.relationships.models import Tie
from conftest import Cast

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _tie(member: Member, product: Product, strength: float) -> Tie:
    return Tie.objects.create(
        member=member,
        product=product,
        strength=strength,
        polarity=0.5,
        nature=Tie.Nature.TRANSACTION,
        positive=1.0,
        negative=0.0,
        event_count=1,
        updated_at=NOW,
    )


def _products(count: int, start: int = 0) -> list[Product]:
    maker = Organization.objects.get_or_create(
        slug="tie-maker", defaults={"name": "Tie Maker", "kind": Organization.Kind.COMPANY}
    )[0]
    return [
        Product.objects.create(organization=maker, name=f"P{n}", slug=f"p-{n}")
        for n in range(start, start + count)
    ]


def _api(member: Member) -> ApiClient:
    return ApiClient(do_create_token(member, name="tests", scope="read")[1])


def test_every_tie_strongest_first_with_equal_strengths_kept_apart(cast: Cast) -> None:
    # 110 ties, many of the same strength: the id keeps them apart across pages.
    ties = [_tie(cast.alice, p, round((n % 7) / 10, 1)) for n, p in enumerate(_products(110))]
    stronger = _products(1, start=500)
    api = _api(cast.alice)
    first = api.get("/api/relationships").json()
    assert len(first["items"]) == 20
    assert first["next"]
    assert first["items"][0]["events"] == []

    def tie_made_meanwhile() -> None:
        _tie(cast.alice, stronger[0], 0.99)

    seen = [t["other"] for t in read_all_pages(api, "/api/relationships", 25, tie_made_meanwhile)]
    expected = sorted(ties, key=lambda t: (-t.strength, t.pk))
    assert seen == [f"product:{t.product.slug}" for t in expected if t.product]
    assert "product:p-500" not in seen  # stronger than the page already read: not repeated


def test_a_cursor_from_another_list_is_refused(cast: Cast) -> None:
    for n, product in enumerate(_products(3)):
        _tie(cast.alice, product, n / 10)
    api = _api(cast.alice)
    # The same keys, but not this list's cursor.
    assert_cursor_refused(api, "/api/relationships", encode_cursor(("-strength", "pk"), [0.1, 1]))
    referrals = encode_cursor(("-created_at", "-pk"), [NOW, 1], "referrals")
    assert_cursor_refused(api, "/api/relationships", referrals)
