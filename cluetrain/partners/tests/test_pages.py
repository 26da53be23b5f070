"""The partner pages: who may see and do what, refusals rendered with their status."""

from django.test import Client
from django.urls import reverse

from cluetrain.partners.actions import check_answer_referral, check_record_outcome, check_refer
from cluetrain.partners.models import Referral
from cluetrain.partners.tests.conftest import Network
from cluetrain.threads.actions import check_create_thread
from conftest import Cast, Places


def _as(member: object) -> Client:
    client = Client()
    client.force_login(member)  # type: ignore[arg-type]
    return client


def test_pages_need_a_sign_in(network: Network) -> None:
    for name in ("partners", "partner_bundle", "my_referrals", "partner_inbox"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_directory_lists_partners_by_category(cast: Cast, network: Network) -> None:
    page = _as(cast.alice).get(reverse("partners")).content.decode()
    assert page.index('id="category-inspection"') < page.index("Acme Inspections")
    assert page.index("Acme Inspections") < page.index('id="category-bank"')
    assert "Roof and foundation inspection" in page
    assert "Austin, TX (60 km)" in page
    only_banks = _as(cast.alice).get(reverse("partners"), {"category": "bank"}).content.decode()
    assert "Keystone Bank" in only_banks
    assert "Acme Inspections" not in only_banks
    detail = _as(cast.alice).get(reverse("partner", args=["acme"]))
    assert detail.status_code == 200
    assert "Pat Partner" in detail.content.decode()
    assert _as(cast.alice).get(reverse("partner", args=["nope"])).status_code == 404


def test_bundle_then_refer_then_the_provider_answers(cast: Cast, network: Network) -> None:
    alice = _as(cast.alice)
    page = alice.get(
        reverse("partner_bundle"),
        {"need": "roof inspection", "category": ["inspection", "bank"], "place": "Austin, TX"},
    ).content.decode()
    assert 'id="proposal-inspection"' in page
    assert "serves Austin, TX" in page
    assert page.index("Acme Inspections") < page.index("Lone Star Inspect")
    response = alice.post(
        reverse("refer"), {"provider": "acme", "need": "roof inspection", "place": "Austin, TX"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referral", args=[referral.pk])
    assert referral.customer == cast.alice

    # bob sees nothing of it; only the provider's people may answer.
    assert _as(cast.bob).get(reverse("referral", args=[referral.pk])).status_code == 404
    refused = alice.post(reverse("referral_answer", args=[referral.pk]), {"decision": "accept"})
    assert refused.status_code == 403
    assert "Only Acme Inspections can accept" in refused.content.decode()
    pat = _as(cast.pat)
    inbox = pat.get(reverse("partner_inbox")).content.decode()
    assert "roof inspection" in inbox
    assert pat.get(reverse("referral", args=[referral.pk])).content.decode().count("Accept") >= 1
    pat.post(reverse("referral_answer", args=[referral.pk]), {"decision": "accept"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED

    # Rating before completion is refused and writes nothing.
    early = alice.post(reverse("referral_rate", args=[referral.pk]), {"stars": "5"})
    assert early.status_code == 409
    pat.post(reverse("referral_outcome", args=[referral.pk]), {"outcome": "completed"})
    bad = alice.post(reverse("referral_rate", args=[referral.pk]), {"stars": "nine"})
    assert bad.status_code == 400
    alice.post(reverse("referral_rate", args=[referral.pk]), {"stars": "5", "words": "Great"})
    referral.refresh_from_db()
    assert (referral.status, referral.stars) == (Referral.Status.COMPLETED, 5)
    again = alice.post(reverse("referral_rate", args=[referral.pk]), {"stars": "1"})
    assert again.status_code == 409
    mine = alice.get(reverse("my_referrals")).content.decode()
    assert "Completed" in mine
    assert "5/5" in mine


def test_bundle_refusals(cast: Cast, network: Network) -> None:
    alice = _as(cast.alice)
    missing = alice.get(reverse("partner_bundle"), {"need": "roof"})
    assert missing.status_code == 400
    assert "choose at least one category" in missing.content.decode()
    # A customer's "customer" field is ignored in the page and refused in the action.
    other = alice.post(reverse("refer"), {"provider": "acme", "need": "Roof", "customer": "bob"})
    assert other.status_code == 403
    assert not Referral.objects.exists()
    staff = _as(cast.sam).get(
        reverse("partner_bundle"), {"need": "roof", "category": "inspection", "customer": "nobody"}
    )
    assert staff.status_code == 400


def test_a_link_with_categories_opens_the_empty_form(cast: Cast, network: Network) -> None:
    """A partner page's "Describe a need" link sends only categories: the form, no refusal."""
    alice = _as(cast.alice)
    opened = alice.get(reverse("partner_bundle"), {"category": "inspection"})
    assert opened.status_code == 200
    page = opened.content.decode()
    assert "choose at least one category" not in page
    assert 'value="inspection" checked' in page
    sent_empty = alice.get(reverse("partner_bundle"), {"category": "inspection", "need": ""})
    assert sent_empty.status_code == 400


def test_an_open_referral_replaces_the_button_and_the_new_address_leads_to_the_bundle(
    cast: Cast, network: Network
) -> None:
    alice = _as(cast.alice)
    assert alice.get(reverse("refer")).status_code == 302
    assert alice.get(reverse("refer"))["Location"] == reverse("partner_bundle")
    referral = check_refer(cast.alice, customer=cast.alice, provider=network.acme, need="Roof")
    page = alice.get(
        reverse("partner_bundle"), {"need": "roof inspection", "category": "inspection"}
    ).content.decode()
    assert "Referral open" in page
    assert reverse("referral", args=[referral.pk]) in page
    assert 'name="provider" value="acme"' not in page
    mine = alice.get(reverse("my_referrals")).content.decode()
    assert "Alice Archer → Alice Archer" not in mine
    assert "Alice Archer → Acme Inspections" in mine


def test_inbox_and_dashboard_are_for_partner_people(
    cast: Cast, network: Network, places: Places
) -> None:
    for outsider in (cast.alice, cast.sam):
        assert _as(outsider).get(reverse("partner_inbox")).status_code == 403
        assert _as(outsider).get(reverse("partner_dashboard")).status_code == 403
    first = check_refer(cast.sam, customer=cast.bob, provider=network.acme, need="Roof")
    check_refer(cast.sam, customer=cast.alice, provider=network.acme, need="Foundation")
    check_answer_referral(cast.pat, first, accept=True)
    check_record_outcome(cast.pat, first, completed=True)
    check_create_thread(
        cast.bob,
        places.forum,
        title="Who does a smart home wiring check?",
        body_md="Acme Inspections did my smart home wiring check.",
        kind="discussion",
    )
    inbox = _as(cast.pat).get(reverse("partner_inbox")).content.decode()
    assert inbox.index("Foundation") < inbox.index("Roof")  # pending first
    board = _as(cast.pat).get(reverse("partner_dashboard"))
    assert board.status_code == 200
    text = board.content.decode()
    assert "<dd>2</dd>" in text  # received
    assert "50 %" in text  # conversion: 1 completed of 2
    assert "Who does a smart home wiring check?" in text


def test_referral_notifications_link_to_the_inbox_or_my_referrals(
    cast: Cast, network: Network
) -> None:
    referral = check_refer(cast.sam, customer=cast.bob, provider=network.acme, need="Roof")
    provider_page = _as(cast.pat).get(reverse("notifications")).content.decode()
    assert f'href="{reverse("partner_inbox")}">Sam Staff referred Bob Baker' in provider_page
    check_answer_referral(cast.pat, referral, accept=True)
    customer_page = _as(cast.bob).get(reverse("notifications")).content.decode()
    assert f'href="{reverse("my_referrals")}">Acme Inspections accepted' in customer_page
