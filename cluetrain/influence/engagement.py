"""The engagement inbox: conversations waiting for a staff answer, most urgent first.

A thread waits when its last visible message from someone other than staff has no staff
reply after it. Urgency is the product of four factors, each shown on the inbox row:

- negativity = (1 - s) / 2, where s in [-1, 1] is the sentiment score listening gave the
  last waiting message (0.5 until it is read): 1 for furious, 0.5 neutral, 0 delighted;
- reach = 1 + the thread's cascade forecast (its reply count when no cascade is tracked);
- influence = 1 + log2(1 + N x the author's global influence score): scores sum to 1 over the
  N people scored, so N x score is 0 for nobody heard and 1 for an average voice; the
  logarithm keeps a voice 30 times the average from outweighing everything else;
- waiting = 1 + log2(1 + hours since the first waiting message): each doubling of the wait
  adds one, so a thread ignored for months does not bury a complaint spreading now.

Staff claim a thread with a conditional UPDATE (exactly one wins; a claim lapses after
`CLAIM_MINUTES`), answer in place through the normal reply action, which releases the claim and
records the first-response time once per wait, and see median and p90 response times.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.influence.models import Cascade, InfluenceScore, StaffResponse, ThreadClaim
from cluetrain.members.models import Member
from cluetrain.threads.actions import check_reply
from cluetrain.threads.models import Post, Thread

#: How many recently active threads are considered before ranking by urgency.
CANDIDATES = 300
CLAIM_MINUTES = 30
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def may_engage(member: Member) -> bool:
    return member.is_authenticated and member.is_company_staff


def _outside_posts() -> Q:
    return Q(is_staff_reply=False, is_deleted=False, is_hidden=False)


def _waiting_annotations() -> dict[str, Subquery]:
    last_staff = Post.objects.filter(
        thread=OuterRef("pk"), is_staff_reply=True, is_deleted=False
    ).order_by("-created_at", "-pk")
    waiting = Post.objects.filter(_outside_posts(), thread=OuterRef("pk")).filter(
        created_at__gt=Coalesce(OuterRef("last_staff_at"), Value(_EPOCH))
    )
    return {
        "last_staff_at": Subquery(last_staff.values("created_at")[:1]),
        "first_waiting_id": Subquery(waiting.order_by("created_at", "pk").values("pk")[:1]),
        "last_waiting_id": Subquery(waiting.order_by("-created_at", "-pk").values("pk")[:1]),
    }


def waiting_threads() -> "list[Thread]":
    """Threads waiting for staff, annotated with their first and last waiting post ids."""
    annotations = _waiting_annotations()
    return list(
        Thread.objects.filter(is_hidden=False)
        .annotate(last_staff_at=annotations["last_staff_at"])
        .annotate(
            first_waiting_id=annotations["first_waiting_id"],
            last_waiting_id=annotations["last_waiting_id"],
        )
        .filter(first_waiting_id__isnull=False)
        .select_related("space")
        .order_by("-last_activity_at")[:CANDIDATES]
    )


@dataclass(frozen=True)
class InboxRow:
    thread: Thread
    first_waiting: Post
    last_waiting: Post
    negativity: float
    reach: float
    influence: float
    waiting_hours: float
    claimed_by: Member | None

    @property
    def waiting(self) -> float:
        return 1.0 + math.log2(1.0 + self.waiting_hours)

    @property
    def urgency(self) -> float:
        return self.negativity * self.reach * self.influence * self.waiting


@dataclass(frozen=True)
class SuggestedOwner:
    """Who should take a conversation, and why (a few words)."""

    member: Member
    why: str


#: Apps above this one (expertise) suggest owners for inbox rows: threads -> {thread id: owner}.
OwnerSuggester = Callable[[Sequence[Thread]], dict[int, SuggestedOwner]]
_owner_suggesters: list[OwnerSuggester] = []


def register_owner_suggester(suggester: OwnerSuggester) -> None:
    """Called in the suggesting app's AppConfig.ready(); registering twice is a no-op."""
    if suggester not in _owner_suggesters:
        _owner_suggesters.append(suggester)


def suggested_owners(threads: Sequence[Thread]) -> dict[int, SuggestedOwner]:
    """The first registered suggester's owner for each thread it has one for."""
    found: dict[int, SuggestedOwner] = {}
    for suggester in _owner_suggesters:
        for thread_id, owner in suggester(threads).items():
            found.setdefault(thread_id, owner)
    return found


def inbox(*, now: datetime | None = None) -> list[InboxRow]:
    """Every waiting thread with its urgency factors, most urgent first."""
    now = now or timezone.now()
    threads = waiting_threads()
    post_ids = [t.first_waiting_id for t in threads] + [t.last_waiting_id for t in threads]  # type: ignore[attr-defined]
    posts = Post.objects.select_related("author", "external_author", "enrichment").in_bulk(post_ids)
    thread_ids = [thread.pk for thread in threads]
    forecasts = dict(
        Cascade.objects.filter(thread_id__in=thread_ids).values_list("thread_id", "forecast")
    )
    claims = {
        claim.thread_id: claim
        for claim in ThreadClaim.objects.filter(
            thread_id__in=thread_ids, claimed_by__isnull=False
        ).select_related("claimed_by")
    }
    scored = InfluenceScore.objects.filter(topic__isnull=True)
    people = scored.count()
    author_ids = {post.author_id for post in posts.values() if post.author_id is not None}
    influence = dict(scored.filter(member_id__in=author_ids).values_list("member_id", "score"))
    rows = []
    for thread in threads:
        first = posts[thread.first_waiting_id]  # type: ignore[attr-defined]
        last = posts[thread.last_waiting_id]  # type: ignore[attr-defined]
        enrichment = getattr(last, "enrichment", None)
        sentiment = enrichment.sentiment_score if enrichment is not None else 0.0
        claim = claims.get(thread.pk)
        rows.append(
            InboxRow(
                thread=thread,
                first_waiting=first,
                last_waiting=last,
                negativity=(1.0 - max(-1.0, min(1.0, sentiment))) / 2.0,
                reach=1.0 + forecasts.get(thread.pk, float(thread.reply_count)),
                influence=1.0 + math.log2(1.0 + people * influence.get(last.author_id or 0, 0.0)),
                waiting_hours=max((now - first.created_at).total_seconds() / 3600.0, 0.0),
                claimed_by=claim.claimed_by if claim and _claim_live(claim, now) else None,
            )
        )
    rows.sort(key=lambda row: (-row.urgency, row.thread.pk))
    return rows


def _claim_live(claim: ThreadClaim, now: datetime) -> bool:
    return claim.claimed_at is not None and claim.claimed_at > now - timedelta(
        minutes=CLAIM_MINUTES
    )


def check_claim(member: Member, thread: Thread) -> ThreadClaim:
    """Claim a thread; exactly one of several staff claiming at once wins, the rest get 409."""
    if not may_engage(member):
        raise ActionError(gettext("Only staff claim conversations."), status=403)
    claim, won = do_claim(member, thread)
    if not won:
        if claim.claimed_by is None:
            raise ActionError(
                gettext("Someone else already claimed this conversation."), status=409
            )
        raise ActionError(
            gettext("%(name)s already claimed this conversation.")
            % {"name": claim.claimed_by.name},
            status=409,
        )
    return claim


def do_claim(member: Member, thread: Thread) -> tuple[ThreadClaim, bool]:
    """The thread's claim, and whether `member` holds it now (False: someone else does)."""
    ThreadClaim.objects.get_or_create(thread=thread)
    now = timezone.now()
    lapsed = now - timedelta(minutes=CLAIM_MINUTES)
    # The conditional UPDATE is the lock: it changes the row only while nobody (else) holds it.
    won = (
        ThreadClaim.objects.filter(thread=thread)
        .filter(Q(claimed_by__isnull=True) | Q(claimed_by=member) | Q(claimed_at__lt=lapsed))
        .update(claimed_by=member, claimed_at=now)
    )
    return ThreadClaim.objects.select_related("claimed_by").get(thread=thread), bool(won)


def check_release(member: Member, thread: Thread) -> None:
    """Give a claim back; only its holder can."""
    if not may_engage(member):
        raise ActionError(gettext("Only staff claim conversations."), status=403)
    if not do_release(member, thread):
        raise ActionError(gettext("You do not hold a claim on this conversation."), status=409)


def do_release(member: Member, thread: Thread) -> bool:
    """False when `member` held no claim on the thread."""
    released = ThreadClaim.objects.filter(thread=thread, claimed_by=member).update(
        claimed_by=None, claimed_at=None
    )
    return released > 0


def first_waiting_post(thread: Thread) -> Post | None:
    last_staff = (
        Post.objects.filter(thread=thread, is_staff_reply=True, is_deleted=False)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    waiting = Post.objects.filter(_outside_posts(), thread=thread)
    if last_staff is not None:
        waiting = waiting.filter(created_at__gt=last_staff)
    return waiting.order_by("created_at", "pk").first()


def check_answer(member: Member, thread: Thread, *, body_md: str) -> Post:
    """Answer in place: a normal reply, then the claim is released and the wait recorded.

    Two staff answering at once both get their reply; only the first counts as the first
    response to that wait.
    """
    if not may_engage(member):
        raise ActionError(gettext("Only staff answer from the engagement inbox."), status=403)
    waiting = first_waiting_post(thread)
    last_waiting = (
        Post.objects.filter(_outside_posts(), thread=thread).order_by("-created_at", "-pk").first()
    )
    with transaction.atomic():
        reply = check_reply(member, thread, body_md=body_md, parent=last_waiting)
        do_record_answer(member, thread, reply, waiting)
    return reply


def do_record_answer(member: Member, thread: Thread, reply: Post, waiting: Post | None) -> None:
    """After a staff reply from the inbox: the claim is released and the wait recorded."""
    ThreadClaim.objects.filter(thread=thread).update(claimed_by=None, claimed_at=None)
    if waiting is not None:
        _record_response(thread, waiting, reply, member)


def _record_response(thread: Thread, waiting: Post, reply: Post, member: Member) -> None:
    try:
        with transaction.atomic():
            StaffResponse.objects.create(
                thread=thread,
                waiting_post=waiting,
                reply=reply,
                responder=member,
                seconds=max((reply.created_at - waiting.created_at).total_seconds(), 0.0),
                answered_at=reply.created_at,
            )
    except IntegrityError:
        pass  # another staff member answered this wait first: theirs is the first response


@dataclass(frozen=True)
class ResponseTimes:
    responder: Member
    answered: int
    median_minutes: float
    p90_minutes: float


def response_times() -> list[ResponseTimes]:
    """Median and 90th percentile first-response time per staff member, fastest first."""
    seconds: dict[int, list[float]] = {}
    for responder_id, value in StaffResponse.objects.values_list("responder_id", "seconds"):
        seconds.setdefault(responder_id, []).append(value)
    members = Member.objects.in_bulk(list(seconds))
    rows = [
        ResponseTimes(
            responder=members[member_id],
            answered=len(values),
            median_minutes=float(np.median(values)) / 60.0,
            p90_minutes=float(np.percentile(values, 90)) / 60.0,
        )
        for member_id, values in seconds.items()
    ]
    rows.sort(key=lambda row: (row.median_minutes, row.responder.pk))
    return rows
