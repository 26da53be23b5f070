"""Complaints roll up into root issues; staff rename, merge, split and close; closed ones reopen."""

import pytest

from cluetrain.core.errors import ActionError
from cluetrain.listening import actions
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import Enrichment, RootIssue, RootIssueEvent
from cluetrain.listening.readers import forget_readers
from cluetrain.listening.rollup import roll_up
from cluetrain.listening.tests.helpers import complain
from cluetrain.members.models import Member
from cluetrain.threads.models import Post
from conftest import Cast, Places

WIFI = [
    "My Lumen Hub wifi keeps dropping since the update. Furious, it is useless now.",
    "Lumen Hub loses wifi every night after the firmware update, so annoying!",
    "Wifi drops on the Lumen Hub again after the update. Terrible, fix it.",
    "After updating, my Lumen Hub drops the wifi connection every hour. Awful.",
    "The Lumen Hub keeps disconnecting from wifi after the latest update, hate it.",
]
REFUND = [
    "Refund refused again. Worst customer service ever, I want my money back.",
    "They refused my refund for the broken unit. Disgusting service.",
    "Still no refund, support refused it twice. Appalling, never buying again.",
    "My refund request was refused without reason. Angry and fed up.",
]


@pytest.fixture(autouse=True)
def _fresh_readers() -> None:
    forget_readers()


def _issue_of(post: Post) -> RootIssue | None:
    return Enrichment.objects.select_related("root_issue").get(post=post).root_issue


def test_similar_complaints_become_separate_named_issues(cast: Cast, places: Places) -> None:
    wifi = complain(cast, places, WIFI)
    refund = complain(cast, places, REFUND)
    enrich_pending()
    result = roll_up()
    assert result.created >= 2
    wifi_issues = {_issue_of(p) for p in wifi} - {None}
    refund_issues = {_issue_of(p) for p in refund} - {None}
    assert len(wifi_issues) == 1
    assert len(refund_issues) == 1
    assert wifi_issues.isdisjoint(refund_issues)
    wifi_issue = wifi_issues.pop()
    assert wifi_issue is not None
    assert wifi_issue.message_count >= 3
    assert "wifi" in wifi_issue.name.lower()
    assert wifi_issue.first_seen <= wifi_issue.last_seen
    assert RootIssueEvent.objects.filter(issue=wifi_issue, kind="created").exists()
    assert roll_up().created == 0  # nothing new: nothing changes


def test_a_closed_issue_reopens_when_the_problem_comes_back(cast: Cast, places: Places) -> None:
    complain(cast, places, WIFI, days_ago=40)
    enrich_pending()
    roll_up()
    issue = RootIssue.objects.get(name__icontains="wifi")
    actions.check_close_issue(cast.sam, issue, "Fixed in firmware 3.2.1")
    issue.refresh_from_db()
    assert issue.status == RootIssue.Status.CLOSED
    # An old complaint that only now gets read does not reopen it ...
    again = complain(cast, places, WIFI[:1], days_ago=45)
    enrich_pending()
    roll_up()
    issue.refresh_from_db()
    assert _issue_of(again[0]) == issue
    assert issue.status == RootIssue.Status.CLOSED
    # ... a new one does.
    complain(cast, places, WIFI[1:2], days_ago=0)
    enrich_pending()
    assert roll_up().reopened == 1
    issue.refresh_from_db()
    assert issue.status == RootIssue.Status.OPEN
    assert issue.events.filter(kind=RootIssueEvent.Kind.REOPENED, actor=None).exists()


def test_staff_rename_merge_and_split(cast: Cast, places: Places) -> None:
    wifi = complain(cast, places, WIFI)
    complain(cast, places, REFUND)
    enrich_pending()
    roll_up()
    wifi_issue = _issue_of(wifi[0])
    refund_issue = RootIssue.objects.exclude(pk=wifi_issue.pk).get()  # type: ignore[union-attr]
    assert wifi_issue is not None
    actions.check_rename_issue(cast.sam, wifi_issue, "  Hub Wi-Fi drops after 3.2  ")
    wifi_issue.refresh_from_db()
    assert wifi_issue.name == "Hub Wi-Fi drops after 3.2"
    assert wifi_issue.name_locked
    roll_up()
    wifi_issue.refresh_from_db()
    assert wifi_issue.name == "Hub Wi-Fi drops after 3.2"  # the roll-up keeps staff's name

    held = list(Enrichment.objects.filter(root_issue=wifi_issue).values_list("post_id", flat=True))
    new = actions.check_split_issue(cast.sam, wifi_issue, held[:2], "Hub Wi-Fi at night")
    assert Enrichment.objects.filter(root_issue=new).count() == 2
    wifi_issue.refresh_from_db()
    assert wifi_issue.message_count == len(held) - 2
    assert new.centroids
    assert wifi_issue.centroids

    merged = actions.check_merge_issues(cast.sam, new, wifi_issue)
    assert merged == wifi_issue
    new.refresh_from_db()
    wifi_issue.refresh_from_db()
    assert new.status == RootIssue.Status.MERGED
    assert new.merged_into == wifi_issue
    assert wifi_issue.message_count == len(held)
    assert len(wifi_issue.centroids) == 2
    with pytest.raises(ActionError):
        actions.check_rename_issue(cast.sam, new, "anything")  # merged: act on the target
    with pytest.raises(ActionError):
        actions.check_merge_issues(cast.sam, refund_issue, refund_issue)


@pytest.mark.parametrize("verb", ["rename", "close", "split"])
def test_only_staff_manage_issues_and_bad_input_is_refused(
    cast: Cast, places: Places, verb: str
) -> None:
    complain(cast, places, WIFI)
    enrich_pending()
    roll_up()
    issue = RootIssue.objects.get()
    customer: Member = cast.alice
    refusals = {
        "rename": lambda who, name: actions.check_rename_issue(who, issue, name),
        "close": lambda who, name: actions.check_close_issue(who, issue, name),
        "split": lambda who, name: actions.check_split_issue(who, issue, [999_999], name),
    }
    with pytest.raises(ActionError) as refused:
        refusals[verb](customer, "mine")
    assert refused.value.status == 403
    if verb == "close":
        actions.check_close_issue(cast.sam, issue)  # closing twice is the bad input here
    with pytest.raises(ActionError) as bad:
        refusals[verb](cast.sam, "   " if verb == "rename" else "Other")
    assert bad.value.status in {400, 409}
    issue.refresh_from_db()
    assert issue.name != "mine"


def test_an_unsure_event_never_names_an_issue(cast: Cast, places: Places) -> None:
    """A complaint whose event the reader was unsure of still rolls up, named by its words."""
    refused = [
        "Refund refused again, no refund for me. Awful.",
        "Refund refused again, still no refund. Terrible.",
        "Refund refused again, where is my refund? Furious.",
    ]
    posts = complain(cast, places, refused)
    enrich_pending()
    Enrichment.objects.filter(post__in=posts).update(
        intent="complain", event="unsure", sentiment=Enrichment.Sentiment.NEGATIVE
    )
    roll_up()
    names = [i.name for i in RootIssue.objects.all()]
    assert names
    assert all("unsure" not in name for name in names), names
