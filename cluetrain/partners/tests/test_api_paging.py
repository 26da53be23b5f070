"""The partner inbox and one's referrals page through every referral (they stopped at 200)."""

from datetime import UTC, datetime, timedelta

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tests.paging import assert_cursor_refused, read_all_pages
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.partners.models import Referral
from cluetrain.partners.tests.conftest import Network
from conftest import Cast

START = datetime(2026, 6, 1, tzinfo=UTC)
MANY = 205  # more than the 200 the lists used to stop at
S = Referral.Status


def _api(who: Member) -> ApiClient:
    return ApiClient(do_create_token(who, name="tests", scope="read")[1])


def _referrals(
    cast: Cast, network: Network, count: int, start: datetime, all_pending: bool = False
) -> list[Referral]:
    # Every third one answered: the inbox puts the pending ones first.
    return Referral.objects.bulk_create(
        Referral(
            referrer=cast.alice,
            customer=cast.alice,
            provider=network.acme,
            need=f"Need {n}",
            status=S.PENDING if all_pending or n % 3 else S.ACCEPTED,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    )


def test_the_inbox_pages_pending_first_and_repeats_nothing(cast: Cast, network: Network) -> None:
    made = _referrals(cast, network, MANY, START)
    api = _api(cast.pat)
    assert len(api.get("/api/partners/inbox").json()["items"]) == 20

    def referral_sent_meanwhile() -> None:  # pending and newest: ahead of the first page
        _referrals(cast, network, 1, START + timedelta(days=30), all_pending=True)

    path = "/api/partners/inbox"
    seen = [r["id"] for r in read_all_pages(api, path, 60, referral_sent_meanwhile)]
    newest = sorted(made, key=lambda r: r.created_at, reverse=True)
    pending = [r.pk for r in newest if r.status == S.PENDING]
    assert seen == pending + [r.pk for r in newest if r.status != S.PENDING]
    assert Referral.objects.count() == MANY + 1


def test_my_referrals_page_newest_first(cast: Cast, network: Network) -> None:
    made = _referrals(cast, network, MANY, START)
    api = _api(cast.alice)

    def referral_sent_meanwhile() -> None:  # the newest: ahead of the first page
        _referrals(cast, network, 1, START + timedelta(days=30))

    seen = [r["id"] for r in read_all_pages(api, "/api/referrals", 100, referral_sent_meanwhile)]
    assert seen == [r.pk for r in made][::-1]


def test_a_cursor_from_another_list_is_refused(cast: Cast, network: Network) -> None:
    _referrals(cast, network, 3, START)
    mine = _api(cast.alice).get("/api/referrals", limit=1).json()["next"]
    assert mine
    assert_cursor_refused(_api(cast.pat), "/api/partners/inbox", mine)
    inbox_cursor = _api(cast.pat).get("/api/partners/inbox", limit=1).json()["next"]
    assert_cursor_refused(_api(cast.alice), "/api/referrals", inbox_cursor)
