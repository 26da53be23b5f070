"""What staff do to root issues: rename, close, reopen, merge, split. Each act is logged."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.listening.models import Enrichment, RootIssue, RootIssueEvent
from cluetrain.listening.rollup import issue_items, refresh_counts
from cluetrain.members.models import Member
from cluetrain_analytics.text.rootissues import centroid_of

NAME_MAX = 200


def may_manage_issues(member: Member) -> bool:
    return member.is_company_staff


def _check_staff(member: Member) -> None:
    if not may_manage_issues(member):
        raise ActionError(gettext("Only staff manage root issues."), status=403)


def _check_live(issue: RootIssue) -> None:
    if issue.status == RootIssue.Status.MERGED:
        raise ActionError(
            gettext("This issue was merged into another one; act on that one."), status=409
        )


def _log(issue: RootIssue, kind: str, actor: Member, note: str) -> None:
    RootIssueEvent.objects.create(
        issue=issue, kind=kind, actor=actor, note=note[:300], at=timezone.now()
    )


def check_rename_issue(member: Member, issue: RootIssue, name: str) -> RootIssue:
    _check_staff(member)
    _check_live(issue)
    name = " ".join(name.split())
    if not name:
        raise ActionError(gettext("Give the issue a name."), field="name")
    if len(name) > NAME_MAX:
        raise ActionError(
            gettext("Keep the name under %(limit)s characters.") % {"limit": NAME_MAX}, field="name"
        )
    return do_rename_issue(member, issue, name)


@transaction.atomic
def do_rename_issue(member: Member, issue: RootIssue, name: str) -> RootIssue:
    old = issue.name
    issue.name, issue.name_locked = name, True
    issue.save(update_fields=["name", "name_locked"])
    _log(issue, RootIssueEvent.Kind.RENAMED, member, f"Was “{old}”.")
    return issue


def check_close_issue(member: Member, issue: RootIssue, note: str = "") -> RootIssue:
    _check_staff(member)
    _check_live(issue)
    if issue.status == RootIssue.Status.CLOSED:
        raise ActionError(gettext("This issue is already closed."), status=409)
    return do_close_issue(member, issue, note)


@transaction.atomic
def do_close_issue(member: Member, issue: RootIssue, note: str = "") -> RootIssue:
    issue.status, issue.closed_at = RootIssue.Status.CLOSED, timezone.now()
    issue.save(update_fields=["status", "closed_at"])
    _log(issue, RootIssueEvent.Kind.CLOSED, member, note or "Closed by staff.")
    return issue


def check_reopen_issue(member: Member, issue: RootIssue) -> RootIssue:
    _check_staff(member)
    _check_live(issue)
    if issue.status == RootIssue.Status.OPEN:
        raise ActionError(gettext("This issue is already open."), status=409)
    return do_reopen_issue(member, issue)


@transaction.atomic
def do_reopen_issue(member: Member, issue: RootIssue) -> RootIssue:
    issue.status = RootIssue.Status.OPEN
    issue.save(update_fields=["status"])
    _log(issue, RootIssueEvent.Kind.REOPENED, member, "Reopened by staff.")
    return issue


def check_merge_issues(member: Member, source: RootIssue, target: RootIssue) -> RootIssue:
    """Fold ``source`` into ``target``: its messages and what it matches move over."""
    _check_staff(member)
    _check_live(source)
    _check_live(target)
    if source.pk == target.pk:
        raise ActionError(gettext("Pick another issue to merge into."), field="target")
    return do_merge_issues(member, source, target)


@transaction.atomic
def do_merge_issues(member: Member, source: RootIssue, target: RootIssue) -> RootIssue:
    Enrichment.objects.filter(root_issue=source).update(root_issue=target)
    target.centroids = [*target.centroids, *source.centroids]
    target.keywords = list(dict.fromkeys([*target.keywords, *source.keywords]))[:20]
    target.save(update_fields=["centroids", "keywords"])
    source.status, source.merged_into, source.centroids = RootIssue.Status.MERGED, target, []
    source.save(update_fields=["status", "merged_into", "centroids"])
    _log(target, RootIssueEvent.Kind.MERGED, member, f"“{source.name}” merged into it.")
    _log(source, RootIssueEvent.Kind.MERGED, member, f"Merged into “{target.name}”.")
    refresh_counts([source, target])
    return target


def check_split_issue(
    member: Member, issue: RootIssue, post_ids: Sequence[int], name: str
) -> RootIssue:
    """Move the chosen messages of ``issue`` into a new issue called ``name``."""
    _check_staff(member)
    _check_live(issue)
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise ActionError(
            gettext("Name the new issue (at most %(limit)s characters).") % {"limit": NAME_MAX},
            field="name",
        )
    chosen = set(post_ids)
    held = set(Enrichment.objects.filter(root_issue=issue).values_list("post_id", flat=True))
    if not chosen:
        raise ActionError(
            gettext("Choose the messages that belong to the new issue."), field="messages"
        )
    if not chosen <= held:
        raise ActionError(gettext("Some chosen messages are not in this issue."), field="messages")
    if chosen == held:
        raise ActionError(gettext("Leave at least one message in this issue."), field="messages")
    return do_split_issue(member, issue, sorted(chosen), name)


@transaction.atomic
def do_split_issue(
    member: Member, issue: RootIssue, post_ids: Sequence[int], name: str
) -> RootIssue:
    now = timezone.now()
    moved = Enrichment.objects.filter(root_issue=issue, post_id__in=post_ids)
    first = moved.order_by("created_at").values_list("created_at", flat=True).first() or now
    new = RootIssue.objects.create(
        name=name, name_locked=True, first_seen=first, last_seen=first, keywords=[]
    )
    moved.update(root_issue=new)
    for part in (issue, new):
        members = Enrichment.objects.filter(root_issue=part).select_related("post__thread")
        part.centroids = [centroid_of(issue_items(members.prefetch_related("products", "aspects")))]
        part.save(update_fields=["centroids"])
    _log(new, RootIssueEvent.Kind.SPLIT, member, f"Split from “{issue.name}”.")
    _log(issue, RootIssueEvent.Kind.SPLIT, member, f"{len(post_ids)} messages split into “{name}”.")
    refresh_counts([issue, new])
    return new
