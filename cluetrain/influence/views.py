"""Staff pages: influence leaderboard and cards, the engagement inbox, spread alerts."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError
from cluetrain.influence import alerts, engagement
from cluetrain.influence.cascades import cascade_timeline
from cluetrain.influence.graph import HEARD_REACTIONS
from cluetrain.influence.models import Alert, InfluenceScore, RankingSignal
from cluetrain.influence.roles import role_reasons, signal_reason
from cluetrain.influence.scores import COMPANY_ROLES, advocates_detractors
from cluetrain.listening.models import Enrichment, LearnedTopic
from cluetrain.members.models import Member
from cluetrain.threads.access import access_thread
from cluetrain.threads.models import Post, Reaction

View = Callable[..., HttpResponse]
LEADERBOARD_SIZE = 50
COMPANY_SHOWN = 20
EVIDENCE_SIZE = 8
INBOX_SHOWN = 100
OWNERS_SHOWN = 20


def _staff(request: HttpRequest) -> Member:
    assert isinstance(request.user, Member)
    return request.user


def staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not engagement.may_engage(_staff(request)):
            raise PermissionDenied(
                gettext("Only staff see influence, alerts and the engagement inbox.")
            )
        return view(request, *args, **kwargs)

    return wrapped


def _topic_from(request: HttpRequest) -> LearnedTopic | None:
    """The ?topic= filter; ActionError on a value that is not a topic id."""
    raw = request.GET.get("topic", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ActionError(gettext("The topic must be a topic id from the list."), field="topic")
    topic = LearnedTopic.objects.filter(pk=int(raw)).first()
    if topic is None:
        raise ActionError(gettext("No such topic."), field="topic", status=404)
    return topic


def _error_page(request: HttpRequest, error: ActionError) -> HttpResponse:
    return render(request, "influence/error.html", {"error": error}, status=error.status)


@staff_required
def leaderboard(request: HttpRequest) -> HttpResponse:
    try:
        topic = _topic_from(request)
    except ActionError as error:
        return _error_page(request, error)
    topic_id = topic.pk if topic else None
    scored = InfluenceScore.objects.filter(topic_id=topic_id).select_related("member")
    # Staff and partners are the company's own voice: listed apart from the customers.
    rows = scored.exclude(member__role__in=COMPANY_ROLES)[:LEADERBOARD_SIZE]
    company_rows = scored.filter(member__role__in=COMPANY_ROLES)[:COMPANY_SHOWN]
    sides = advocates_detractors(topic_id)
    members = Member.objects.in_bulk([e["node"] for side in sides.values() for e in side])
    for side in sides.values():
        for entry in side:
            entry["member"] = members.get(entry["node"])
    scored_topics = (
        LearnedTopic.objects.filter(influence__isnull=False).distinct().order_by("label")
    )
    computed = InfluenceScore.objects.order_by("-computed_at").values_list("computed_at", flat=True)
    context = {
        "topic": topic,
        "topics": scored_topics,
        "rows": rows,
        "company_rows": company_rows,
        "signal_reason": signal_reason(RankingSignal.objects.filter(topic_id=topic_id).first()),
        "advocates": sides["advocates"],
        "detractors": sides["detractors"],
        "computed_at": computed.first(),
    }
    return render(request, "influence/leaderboard.html", context)


def _evidence(member: Member, topic: LearnedTopic | None) -> list[dict[str, Any]]:
    """The member's messages that drew the most reactions and replies, and who gave them."""
    posts = Post.objects.filter(author=member, is_deleted=False, is_hidden=False)
    if topic is not None:
        posts = posts.filter(enrichment__topic=topic)
    others_replies = Q(replies__is_deleted=False) & ~Q(replies__author=member)
    top = list(
        posts.annotate(
            n_reactions=Count(
                "reactions", filter=Q(reactions__kind__in=HEARD_REACTIONS), distinct=True
            ),
            n_replies=Count("replies", filter=others_replies, distinct=True),
        )
        .annotate(attention=F("n_reactions") + F("n_replies"))
        .filter(attention__gt=0)
        .select_related("thread")
        .order_by("-attention", "-created_at")[:EVIDENCE_SIZE]
    )
    ids = [post.pk for post in top]
    reactors: dict[int, list[Member]] = defaultdict(list)
    for reaction in Reaction.objects.filter(
        post_id__in=ids, kind__in=HEARD_REACTIONS
    ).select_related("member"):
        reactors[reaction.post_id].append(reaction.member)
    repliers: dict[int, list[Member]] = defaultdict(list)
    for reply in (
        Post.objects.filter(parent_id__in=ids, is_deleted=False, author__isnull=False)
        .exclude(author=member)
        .select_related("author")
    ):
        assert reply.author is not None
        assert reply.parent_id is not None
        repliers[reply.parent_id].append(reply.author)
    return [
        {"post": post, "reactors": reactors[post.pk], "repliers": repliers[post.pk]} for post in top
    ]


@staff_required
def card(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(Member, username=username, is_active=True)
    try:
        topic = _topic_from(request)
    except ActionError as error:
        return _error_page(request, error)
    scores = list(
        InfluenceScore.objects.filter(member=member).select_related("topic").order_by("rank")
    )
    overall = next((s for s in scores if s.topic_id is None), None)
    current = next((s for s in scores if topic and s.topic_id == topic.pk), None)
    context = {
        "person": member,
        "topic": topic,
        "overall": overall,
        "current": current,
        "overall_roles": role_reasons(overall.role_facts) if overall else [],
        "topic_roles": role_reasons(current.role_facts) if current else [],
        "by_topic": [s for s in scores if s.topic_id is not None],
        "people": InfluenceScore.objects.filter(topic_id=topic.pk if topic else None).count(),
        "evidence": _evidence(member, topic),
    }
    return render(request, "influence/card.html", context)


@staff_required
def engage(request: HttpRequest) -> HttpResponse:
    return _inbox_page(request)


def _inbox_page(request: HttpRequest, error: ActionError | None = None) -> HttpResponse:
    rows = engagement.inbox()
    shown = rows[:INBOX_SHOWN]
    # Suggested owners for the most urgent unclaimed ones: each is a search of everyone's record.
    owners = engagement.suggested_owners(
        [row.thread for row in shown if row.claimed_by is None][:OWNERS_SHOWN]
    )
    context = {
        "rows": [(row, owners.get(row.thread.pk)) for row in shown],
        "waiting": len(rows),
        "error": error,
        "me": _staff(request),
    }
    return render(request, "influence/engage.html", context, status=error.status if error else 200)


@require_POST
@staff_required
def engage_act(request: HttpRequest, thread_id: int, verb: str) -> HttpResponse:
    staff = _staff(request)
    thread = access_thread(staff, thread_id)
    try:
        if verb == "claim":
            engagement.check_claim(staff, thread)
            messages.success(request, gettext("You claimed “%(title)s”.") % {"title": thread.title})
        elif verb == "release":
            engagement.check_release(staff, thread)
            messages.success(request, gettext("Claim released."))
        elif verb == "answer":
            engagement.check_answer(staff, thread, body_md=request.POST.get("body", ""))
            messages.success(request, gettext("Answered “%(title)s”.") % {"title": thread.title})
        else:
            raise ActionError(gettext("Unknown action."), status=404)
    except ActionError as error:
        return _inbox_page(request, error)
    return redirect("engage")


@staff_required
def engage_responses(request: HttpRequest) -> HttpResponse:
    rows = engagement.response_times()
    mine = next((row for row in rows if row.responder.pk == _staff(request).pk), None)
    return render(request, "influence/responses.html", {"rows": rows, "mine": mine})


@staff_required
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in Alert.Status.values:
        return _error_page(request, ActionError(gettext("Unknown alert status."), field="status"))
    alerts_shown = Alert.objects.select_related(
        "cascade__thread", "cascade__root_post__author"
    ).order_by("-raised_at")
    alerts_shown = (
        alerts_shown.filter(status=status)
        if status
        else alerts_shown.exclude(status=Alert.Status.RESOLVED)
    )
    context = {
        "alerts": alerts_shown[:200],
        "status": status,
        "statuses": Alert.Status.choices,
        "policy": alerts.spread_policy(),
    }
    return render(request, "influence/alerts.html", context)


@dataclass(frozen=True)
class Carrier:
    """Someone carrying a cascade: their replies in it and their global influence."""

    member: Member
    replies: int
    influence: InfluenceScore | None

    @property
    def score(self) -> float:
        return self.influence.score if self.influence else 0.0


def _carriers(rows: list[dict[str, Any]]) -> list[Carrier]:
    counts: Counter[Member] = Counter()
    for row in rows:
        post = row["post"]
        if post.author is not None:
            counts[post.author] += 1
    scores = {
        s.member_id: s
        for s in InfluenceScore.objects.filter(topic__isnull=True, member__in=list(counts))
    }
    carriers = [Carrier(member, n, scores.get(member.pk)) for member, n in counts.items()]
    carriers.sort(key=lambda c: (-c.score, -c.replies, c.member.pk))
    return carriers


@staff_required
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(
        Alert.objects.select_related("cascade__thread", "cascade__root_post__author"), pk=alert_id
    )
    return _alert_page(request, alert)


def _alert_page(
    request: HttpRequest, alert: Alert, error: ActionError | None = None
) -> HttpResponse:
    cascade = alert.cascade
    rows = cascade_timeline(cascade)
    post_ids = [cascade.root_post_id] + [row["post"].pk for row in rows]  # type: ignore[attr-defined]
    issues = Counter(
        Enrichment.objects.filter(post_id__in=post_ids, root_issue__isnull=False).values_list(
            "root_issue_id", "root_issue__name"
        )
    )
    context = {
        "alert": alert,
        "cascade": cascade,
        "root": cascade.root_post,
        "rows": rows,
        "carriers": _carriers(rows),
        "issues": [(pk, name, n) for (pk, name), n in issues.most_common()],
        "error": error,
    }
    return render(request, "influence/alert.html", context, status=error.status if error else 200)


@require_POST
@staff_required
def alert_act(request: HttpRequest, alert_id: int, verb: str) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.select_related("cascade__thread"), pk=alert_id)
    try:
        alerts.check_change_alert(_staff(request), alert, verb)
    except ActionError as error:
        return _alert_page(request, alert, error)
    messages.success(
        request, gettext("Alert %(status)s.") % {"status": alert.get_status_display().lower()}
    )
    return redirect("alert", alert_id=alert.pk)


@staff_required
def alert_settings(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            alerts.check_set_threshold(_staff(request), request.POST.get("threshold", ""))
        except ActionError as caught:
            error = caught
        else:
            messages.success(request, gettext("Alert threshold saved."))
            return redirect("alert_settings")
    context = {"policy": alerts.spread_policy(), "error": error}
    return render(
        request, "influence/alert_settings.html", context, status=error.status if error else 200
    )
