"""Naming the customer of a referral by a few letters of their name (the bundle page), with
and without the suggestions script; the API's member lookup that feeds the script."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from cluetrain.members.lookup import LOOKUPS_PER_MINUTE
from cluetrain.members.models import Member
from cluetrain.partners.models import Referral
from cluetrain.partners.tests.conftest import Network
from conftest import Cast, make_member

NEED = {"need": "roof inspection", "category": "inspection"}


def _as(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _bundle(client: Client, **query: str) -> tuple[int, str]:
    response = client.get(reverse("partner_bundle"), NEED | query)
    return response.status_code, response.content.decode()


def test_the_exact_username_or_an_only_full_name_proposes_providers_for_them(
    cast: Cast, network: Network
) -> None:
    sam = _as(cast.sam)
    for typed in ("bob", "@bob", "BOB", "bob baker"):
        status, page = _bundle(sam, customer=typed)
        assert status == 200
        assert 'id="proposal-inspection"' in page
        # The referral buttons carry the person found, and the field now names them exactly.
        assert '<input type="hidden" name="customer" value="bob">' in page
        assert 'value="@bob"' in page


def test_several_matches_keep_the_text_and_offer_a_choice(cast: Cast, network: Network) -> None:
    make_member("alicia", Member.Role.CUSTOMER, "Alicia Keyes")
    status, page = _bundle(_as(cast.sam), customer="ali", place="Austin, TX")
    assert status == 200
    assert 'id="proposal-inspection"' not in page  # no providers until the person is known
    assert 'name="customer" value="ali"' in page
    assert "Several people match “ali”: choose one." in page
    assert 'name="customer_pick" value="alice"' in page
    assert 'name="customer_pick" value="alicia"' in page
    # The rest of the form is kept.
    assert 'value="Austin, TX"' in page
    assert "roof inspection" in page
    # Choosing one and sending the form again proposes providers for that person.
    status, page = _bundle(_as(cast.sam), customer="ali", customer_pick="alicia")
    assert status == 200
    assert '<input type="hidden" name="customer" value="alicia">' in page


def test_a_typo_offers_a_guess_and_gibberish_says_nobody_matches(
    cast: Cast, network: Network
) -> None:
    status, page = _bundle(_as(cast.pat), customer="Alcie")
    assert status == 200
    assert "Nobody matches “Alcie”. Did you mean:" in page
    assert 'name="customer_pick" value="alice"' in page
    status, page = _bundle(_as(cast.pat), customer="zzqx")
    assert status == 400
    assert "Nobody matches “zzqx”: type a few letters of their name or username." in page
    assert 'name="customer" value="zzqx"' in page
    assert "customer_pick" not in page


def test_a_member_who_left_is_not_offered(cast: Cast, network: Network) -> None:
    cast.bob.is_active = False
    cast.bob.save(update_fields=["is_active"])
    status, page = _bundle(_as(cast.sam), customer="bob")
    assert status == 400
    assert "customer_pick" not in page


def test_a_customer_names_only_themselves(cast: Cast, network: Network) -> None:
    status, page = _bundle(_as(cast.alice), customer="bob")
    assert status == 200
    assert 'name="customer"' not in page.split("</form>")[0]  # no field to name anyone
    assert '<input type="hidden" name="customer" value="alice">' in page


def test_the_chosen_customer_gets_the_referral(cast: Cast, network: Network) -> None:
    make_member("alicia", Member.Role.CUSTOMER, "Alicia Keyes")
    sam = _as(cast.sam)
    _, page = _bundle(sam, customer="ali", customer_pick="alicia")
    assert '<input type="hidden" name="customer" value="alicia">' in page
    sam.post(
        reverse("refer"), {"provider": "acme", "need": "roof inspection", "customer": "alicia"}
    )
    assert Referral.objects.get().customer.username == "alicia"


def test_the_lookup_api_suggests_people_for_members_only(cast: Cast, network: Network) -> None:
    make_member("jnunez", Member.Role.CUSTOMER, "José Núñez")
    url = reverse("api:member_lookup")
    answer = _as(cast.sam).get(url, {"q": "jose"}).json()
    jose = Member.objects.get(username="jnunez")
    assert answer == {
        "items": [
            {
                "id": jose.pk,
                "username": "jnunez",
                "name": "José Núñez",
                "role": "customer",
                "url": f"{settings.SITE_URL}/people/jnunez/",
            }
        ],
        "similar": False,
    }
    guess = _as(cast.sam).get(url, {"q": "alcie"}).json()
    assert guess["similar"] is True
    assert guess["items"][0]["username"] == "alice"
    assert Client().get(url, {"q": "jose"}).status_code == 401
    assert _as(cast.sam).get(url).status_code == 400  # q is required
    assert len(_as(cast.sam).get(url, {"q": "a", "limit": "2"}).json()["items"]) == 2


def test_the_lookup_api_is_rate_limited_per_member(cast: Cast, network: Network) -> None:
    url = reverse("api:member_lookup")
    sam = _as(cast.sam)
    for _ in range(LOOKUPS_PER_MINUTE):
        assert sam.get(url, {"q": "al"}).status_code == 200
    refused = sam.get(url, {"q": "al"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert _as(cast.pat).get(url, {"q": "al"}).status_code == 200  # another member's own count
