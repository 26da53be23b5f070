"""Personal requests tell vendors of what is sent to them (in the inbox, by e-mail as each
chose), by pseudonym; notices of a withdrawn or deleted request vanish; the spam filter holds
a request from every vendor until a moderator approves it."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.core.errors import ActionError
from cluetrain.exports.ownership import do_delete_account
from cluetrain.intents import actions
from cluetrain.intents.models import Intent, Match
from cluetrain.intents.tasks import match_intent
from cluetrain.intents.tests.world import Market, car_request, make_market, offer, post_and_match
from cluetrain.members.models import Member
from cluetrain.moderation.actions import check_decide_held
from cluetrain.moderation.models import Screening
from cluetrain.moderation.tests.spam import SPAM, spammer
from cluetrain.notifications.actions import check_set_email_frequency
from cluetrain.notifications.models import Frequency, Notification
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint
from conftest import PASSWORD, Cast

OnCommit = Callable[..., Any]


@pytest.fixture
def market(cast: Cast) -> Market:
    return make_market()


def api(member: Member) -> ApiClient:
    _, raw = do_create_token(member, name="tests", scope="write")
    return ApiClient(raw)


def signed_in(member: Member) -> Client:
    client = Client()
    if member.has_usable_password() and client.login(username=member.username, password=PASSWORD):
        return client
    client.force_login(member)
    return client


def _matched_notices(member: Member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, dedupe_key__contains=":match:"))


# --- Vendors are told -----------------------------------------------------------------------


def test_vendors_are_told_of_a_request_sent_to_them_by_pseudonym_once(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    for vendor in (market.rita, market.carl):
        (notice,) = _matched_notices(vendor)
        assert notice.kind == Notification.Kind.REQUEST
        assert notice.get_kind_display() == "Personal request"
        assert intent.pseudonym in notice.text
        assert "A rental car next Tuesday" in notice.text
        assert cast.alice.name not in notice.text
        assert cast.alice.username not in notice.text
        assert notice.actor is None
    # Not sent the request (another trade; too far away): not told.
    assert _matched_notices(market.paul) == []
    assert _matched_notices(market.fay) == []
    # The matching task run again tells nobody twice.
    match_intent.call(intent.pk)
    actions.check_edit_intent(cast.alice, intent, car_request(description="A small car, please."))
    match_intent.call(intent.pk)
    assert len(_matched_notices(market.rita)) == 1
    assert len(_matched_notices(market.carl)) == 1


def test_no_notice_beyond_the_daily_cap(cast: Cast, market: Market, settings: Settings) -> None:
    settings.INTENTS_DAILY_CAP = 1
    first = post_and_match(cast.alice)
    second = post_and_match(cast.alice, car_request(title="Another car"))
    assert Match.objects.filter(intent=second).count() == 0
    notices = _matched_notices(market.rita)
    assert [n.dedupe_key for n in notices] == [f"intent:{first.pk}:match:{market.rentals.pk}"]


def test_a_vendor_who_chose_immediate_email_is_emailed_without_the_customers_name(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    check_set_email_frequency(market.rita, Frequency.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        intent = post_and_match(cast.alice)
    to_rita = [m for m in mail.outbox if m.to == [market.rita.email]]
    assert len(to_rita) == 1
    message = f"{to_rita[0].subject}\n{to_rita[0].body}"
    assert intent.pseudonym in message
    assert cast.alice.name not in message
    # Carl kept the default (no immediate e-mail): only his inbox has it.
    assert [m for m in mail.outbox if m.to == [market.carl.email]] == []
    assert len(_matched_notices(market.carl)) == 1


def test_offer_notices_use_the_request_kind(cast: Cast, market: Market) -> None:
    intent = post_and_match(cast.alice)
    made = offer(market.rita, intent)
    notice = Notification.objects.get(recipient=cast.alice)
    assert notice.kind == Notification.Kind.REQUEST
    assert notice.dedupe_key == f"intent:{intent.pk}:offer:{made.pk}"
    assert "Beacon Rentals made an offer" in notice.text


def test_the_inbox_links_a_request_notice_to_the_request_and_checks_it_when_opened(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    offer(market.rita, intent)
    (notice,) = _matched_notices(market.carl)
    link = reverse("request_notice", args=[notice.pk])
    page = signed_in(market.carl).get(reverse("notifications")).content.decode()
    assert f'href="{link}"' in page
    assert "Personal request" in page
    opened = signed_in(market.carl).get(link)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("intent", args=[intent.pk])
    # Someone else's notice is not found for another member.
    assert signed_in(market.rita).get(link).status_code == 404
    # Withdrawn: the vendors' notices go; the link no longer leads anywhere.
    actions.check_set_status(cast.alice, intent, "withdraw")
    assert signed_in(market.carl).get(link).status_code == 404
    assert _matched_notices(market.carl) == []
    page = signed_in(market.carl).get(reverse("notifications")).content.decode()
    assert intent.title not in page
    # The customer keeps their own notices of their withdrawn request.
    (own,) = Notification.objects.filter(recipient=cast.alice)
    assert signed_in(cast.alice).get(reverse("request_notice", args=[own.pk])).status_code == 302


def test_deleting_a_request_or_the_account_removes_every_notice_naming_it(
    cast: Cast, market: Market
) -> None:
    intent = post_and_match(cast.alice)
    offer(market.rita, intent)
    assert Notification.objects.filter(dedupe_key__startswith=f"intent:{intent.pk}:").count() == 3
    actions.check_delete_intent(cast.alice, intent)
    assert not Notification.objects.filter(dedupe_key__startswith=f"intent:{intent.pk}:").exists()

    again = post_and_match(cast.alice)
    assert _matched_notices(market.rita) != []
    do_delete_account(cast.alice, posts="remove")
    assert not Notification.objects.filter(dedupe_key__startswith=f"intent:{again.pk}:").exists()


# --- The spam filter --------------------------------------------------------------------------


def spam_request(customer: Member) -> Intent:
    data = car_request(
        title="BUY NOW cheap car rental, casino bonus", description=SPAM, must_haves=[]
    )
    return post_and_match(customer, data)


def test_a_spam_request_is_held_from_every_vendor_and_shown_to_moderators(
    cast: Cast, market: Market, client: Client
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=["request.posted"],
        created_at=market.rentals.created_at,
    )
    author = spammer("spam_customer")
    intent = spam_request(author)
    intent.refresh_from_db()
    assert intent.moderation == Intent.Moderation.HELD
    assert not Match.objects.filter(intent=intent).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.REQUEST).exists()
    assert not WebhookDelivery.objects.filter(endpoint=endpoint).exists()
    held = Screening.objects.get(kind=Screening.Kind.REQUEST, subject_id=intent.pk)
    assert held.status == Screening.Status.HELD
    assert held.score >= held.threshold
    assert held.held_fields["title"] == intent.title
    # The customer is told it awaits moderation, on the page and in the API.
    page = signed_in(author).get(reverse("intent", args=[intent.pk])).content.decode()
    assert "Awaiting moderation" in page
    assert api(author).get(f"/api/requests/{intent.pk}").json()["moderation"] == "held"
    # The queue, on the page and in the API, with the score and the reasons.
    queue = signed_in(cast.maya).get(reverse("mod_held")).content.decode()
    assert "Personal request" in queue
    assert intent.title in queue
    assert "spam phrases" in held.reasons[0]
    assert "spam phrases" in queue
    items = api(cast.maya).get("/api/moderation/held").json()["items"]
    (row,) = [i for i in items if i["kind"] == "request"]
    assert (row["subject_id"], row["title"], row["score"]) == (intent.pk, intent.title, held.score)
    assert row["reasons"] == held.reasons
    # The matching task, had it run, sends it to nobody.
    match_intent.call(intent.pk)
    assert not Match.objects.filter(intent=intent).exists()


def test_approval_runs_the_matching_and_announces_the_request_once(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=["request.posted"],
        created_at=market.rentals.created_at,
    )
    author = spammer("spam_customer")
    with django_capture_on_commit_callbacks(execute=True):
        intent = spam_request(author)
    held = Screening.objects.get(kind=Screening.Kind.REQUEST, subject_id=intent.pk)
    with django_capture_on_commit_callbacks(execute=True):
        check_decide_held(cast.maya, held, approve=True, reason="A real rental agency")
    intent.refresh_from_db()
    assert intent.moderation == Intent.Moderation.PASSED
    matched = set(Match.objects.filter(intent=intent).values_list("organization__slug", flat=True))
    assert matched == {"beacon-rentals", "charles-rides"}
    assert len(_matched_notices(market.rita)) == 1
    events = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event", flat=True))
    assert events == ["request.posted"]
    told = Notification.objects.get(recipient=author, dedupe_key__contains=":moderated:")
    assert "approved" in told.text
    page = signed_in(author).get(reverse("intent", args=[intent.pk])).content.decode()
    assert "Awaiting moderation" not in page


def test_rejection_keeps_the_request_from_vendors_for_good(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    author = spammer("spam_customer")
    intent = spam_request(author)
    held = Screening.objects.get(kind=Screening.Kind.REQUEST, subject_id=intent.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.maya).post(
            reverse("mod_held_decide", args=[held.pk]), {"action": "reject"}
        )
    assert response.status_code == 302
    intent.refresh_from_db()
    assert intent.moderation == Intent.Moderation.REJECTED
    match_intent.call(intent.pk)
    assert not Match.objects.filter(intent=intent).exists()
    assert api(market.rita).get("/api/vendor/requests").json()["items"] == []
    with pytest.raises(ActionError) as refused:
        actions.check_edit_intent(author, intent, car_request(title="Now a real request"))
    assert refused.value.status == 409
    page = signed_in(author).get(reverse("intent", args=[intent.pk])).content.decode()
    assert "Rejected by a moderator" in page


def test_a_request_edited_into_spam_leaves_the_vendors_until_approved(
    cast: Cast, market: Market, django_capture_on_commit_callbacks: OnCommit
) -> None:
    author = spammer("fresh_customer")
    intent = post_and_match(author)
    assert Intent.objects.get(pk=intent.pk).moderation == Intent.Moderation.PASSED
    assert [i["id"] for i in api(market.rita).get("/api/vendor/requests").json()["items"]] == [
        intent.pk
    ]
    actions.check_edit_intent(author, intent, car_request(title="BUY NOW casino", description=SPAM))
    assert Intent.objects.get(pk=intent.pk).moderation == Intent.Moderation.HELD
    assert api(market.rita).get("/api/vendor/requests").json()["items"] == []
    assert api(market.rita).get(f"/api/requests/{intent.pk}").status_code == 404
    (held,) = Screening.objects.filter(subject_id=intent.pk, status=Screening.Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        check_decide_held(cast.maya, held, approve=True)
    assert [i["id"] for i in api(market.rita).get("/api/vendor/requests").json()["items"]] == [
        intent.pk
    ]
    # Posted before, approved now: announced once, when it was first posted (not again).
    assert len(_matched_notices(market.rita)) == 1
