"""The community's expert finder: what members did, indexed by cluetrain_analytics.expertise.

Built from every community reply (answers to questions first among them: accepted or not, and
the votes they got) and the expertise members declare. One finder per process, rebuilt when
the community has changed and the one in hand is older than REBUILD_AFTER.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cluetrain.expertise.models import Away
from cluetrain.influence.engagement import SuggestedOwner
from cluetrain.influence.models import ThreadClaim
from cluetrain.members.models import COMPANY_STAFF_ROLES, Member, Profile
from cluetrain.sources.models import Source
from cluetrain.spaces.access import can_read_space
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.expertise import (
    Contribution,
    Expert,
    ExpertFinder,
    Query,
    answered_cases,
    fit_on_history,
)

#: The reasons shown beside each expert (cluetrain_analytics.expertise.FEATURE_LABELS), translated.
REASONS = {
    "answers on these topics": gettext_lazy("answers on these topics"),
    "accepted answers on these topics": gettext_lazy("accepted answers on these topics"),
    "votes on answers on these topics": gettext_lazy("votes on answers on these topics"),
    "solved a similar problem": gettext_lazy("solved a similar problem"),
    "has written about this": gettext_lazy("has written about this"),
    "answers overall": gettext_lazy("answers overall"),
    "accepted answers overall": gettext_lazy("accepted answers overall"),
    "active in recent weeks": gettext_lazy("active in recent weeks"),
    "already in this conversation": gettext_lazy("already in this conversation"),
    "declares this expertise": gettext_lazy("declares this expertise"),
    "answers much of what is asked these days": gettext_lazy(
        "answers much of what is asked these days"
    ),
    "active on these topics lately": gettext_lazy("active on these topics lately"),
    "has helped this person before": gettext_lazy("has helped this person before"),
    "asked it (and may answer it)": gettext_lazy("asked it (and may answer it)"),
    "answered in the last few days": gettext_lazy("answered in the last few days"),
}


def _translated(expert: Expert) -> Expert:
    expert.reasons = [
        (str(REASONS.get(reason, reason)), weight) for reason, weight in expert.reasons
    ]
    return expert


#: Seconds a finder is kept after the community changed; a new answer shows within this.
REBUILD_AFTER = 120.0
#: Questions with an accepted answer from which the ranker is fitted on the community's own
#: history (each question's features from what came before it, as `cluetrain eval experts`
#: measures it); before, hand-set weights.
FIT_AFTER = 50
#: The fitted ranker is reused (the index is rebuilt around it) until the accepted answers
#: grew by this share or it is this old: a fit computes the features of every past question.
REFIT_GROWTH = 0.1
REFIT_AFTER = 24 * 3600.0
#: Open claims in the engagement inbox from which someone counts as overloaded.
OVERLOAD_CLAIMS = 3


@dataclass
class _Cached:
    key: tuple[object, ...]
    built_at: float
    finder: ExpertFinder


_cache: _Cached | None = None
_lock = Lock()


@dataclass
class _Fitted:
    cases: int
    fitted_at: float
    finder: ExpertFinder


_fitted: _Fitted | None = None


def _key() -> tuple[object, ...]:
    posts = Post.objects.aggregate(last=Max("pk"), edited=Max("edited_at"))
    threads = Thread.objects.filter(accepted_answer__isnull=False).aggregate(n=Count("pk"))
    profiles = Profile.objects.aggregate(last=Max("updated_at"))
    return posts["last"], posts["edited"], threads["n"], profiles["last"]


def build() -> ExpertFinder:
    """A finder over the community as it is now; its ranker fitted on the community's accepted
    answers once there are FIT_AFTER of them."""
    replies = (
        Post.objects.filter(
            parent__isnull=False,
            author__isnull=False,
            author__is_active=True,
            is_deleted=False,
            is_hidden=False,
            thread__is_hidden=False,
            source__kind=Source.Kind.COMMUNITY,
        )
        .select_related("thread")
        .only("pk", "body_md", "created_at", "score", "author_id", "thread")
    )
    openings = dict(
        Post.objects.filter(parent__isnull=True, thread__in=replies.values("thread")).values_list(
            "thread_id", "body_md"
        )
    )
    tags: dict[int, list[str]] = {}
    for thread_id, slug in Thread.tags.through.objects.values_list("thread_id", "topic__slug"):
        tags.setdefault(thread_id, []).append(slug)
    contributions = [
        Contribution(
            person=post.author_id,
            kind="answer",
            text=post.body_md,
            at=post.created_at,
            tags=tuple(tags.get(post.thread_id, ())),
            context=f"{post.thread.title}\n{openings.get(post.thread_id, '')}",
            context_id=post.thread_id,
            context_person=post.thread.author_id,
            context_at=post.thread.created_at,
            accepted=post.thread.accepted_answer_id == post.pk,
            votes=post.score,
            ref=post.pk,
        )
        for post in replies.iterator(chunk_size=2000)
    ]
    declared: dict[object, set[str]] = {}
    for member_id, slug in Profile.expertise.through.objects.filter(
        profile__member__is_active=True
    ).values_list("profile__member_id", "topic__slug"):
        declared.setdefault(member_id, set()).add(slug)
    cases = answered_cases(contributions)
    if len(cases) < FIT_AFTER:
        return ExpertFinder(contributions, declared=declared)
    global _fitted
    if (
        _fitted is not None
        and len(cases) < _fitted.cases * (1 + REFIT_GROWTH)
        and time.monotonic() - _fitted.fitted_at < REFIT_AFTER
    ):
        return ExpertFinder(contributions, declared=declared).ranked_like(_fitted.finder)
    finder = fit_on_history(contributions, cases, declared=declared)
    _fitted = _Fitted(len(cases), time.monotonic(), finder)
    return finder


def community_finder() -> ExpertFinder:
    global _cache
    key = _key()
    with _lock:
        fresh = _cache is not None and (
            _cache.key == key or time.monotonic() - _cache.built_at < REBUILD_AFTER
        )
        if _cache is None or not fresh:
            _cache = _Cached(key, time.monotonic(), build())
        return _cache.finder


def forget() -> None:
    """Drop the cached finder (tests, and after a bulk import)."""
    global _cache, _fitted
    with _lock:
        _cache = _fitted = None


#: How much being away lowers a score (an overloaded member loses 0.5 per open claim).
AWAY_PENALTY = 1.5


def penalties(people: list[object]) -> dict[object, tuple[float, str]]:
    """People who are away, or have many open claims in the engagement inbox, rank lower,
    with the reason."""
    found: dict[object, tuple[float, str]] = {}
    claims = (
        ThreadClaim.objects.filter(claimed_by__in=people, thread__accepted_answer__isnull=True)
        .values("claimed_by")
        .annotate(n=Count("pk"))
    )
    for row in claims:
        if row["n"] >= OVERLOAD_CLAIMS:
            found[row["claimed_by"]] = (
                0.5 * row["n"],
                gettext("busy: %(n)d open claims in the inbox") % {"n": row["n"]},
            )
    today = timezone.localdate()
    for away in Away.objects.filter(member__in=people, until__gte=today):
        amount, why = found.get(away.member_id, (0.0, ""))
        reason = f"{why}; {away.reason}" if why else away.reason
        found[away.member_id] = (amount + AWAY_PENALTY, reason)
    return found


@dataclass
class Suggestion:
    member: Member
    expert: Expert
    evidence: list[Post]


def suggest(
    query: Query,
    *,
    readers_of: Thread | None = None,
    exclude: set[int] | None = None,
    k: int = 5,
    staff_only: bool = False,
) -> list[Suggestion]:
    """Members who could answer `query`, best first; only those who may read `readers_of`;
    with `staff_only`, only the company's own people."""
    finder = community_finder()
    among = None
    if staff_only:
        among = set(
            Member.objects.filter(role__in=COMPANY_STAFF_ROLES, is_active=True).values_list(
                "pk", flat=True
            )
        )
    ranked = finder.rank(query, k=k * 4, penalty=penalties(finder.people), among=among)
    members = Member.objects.filter(pk__in=[e.person for e in ranked], is_active=True).in_bulk()
    refs = [ev.ref for e in ranked for ev in e.evidence]
    posts = Post.objects.select_related("thread__space").in_bulk(refs)
    found = []
    for expert in ranked:
        member = members.get(expert.person)
        if member is None or (exclude and member.pk in exclude):
            continue
        if readers_of is not None and not can_read_space(member, readers_of.space):
            continue
        evidence = [posts[ev.ref] for ev in expert.evidence if ev.ref in posts]
        found.append(Suggestion(member, _translated(expert), evidence))
        if len(found) == k:
            break
    return found


def directory_filters(role: str, place: str) -> tuple[str, str]:
    """The role and place filters, cleaned: an unknown role is ignored."""
    return (role if role in Member.Role.values else ""), place.strip()[:100]


def filter_people(suggestions: list[Suggestion], role: str, place: str) -> list[Suggestion]:
    """Keep the suggestions of that role, whose profile names that place."""
    if not role and not place:
        return suggestions
    located = {}
    if place:
        located = dict(
            Member.objects.filter(
                pk__in=[s.member.pk for s in suggestions], profile__location__icontains=place
            ).values_list("pk", "profile__location")
        )
    return [
        s
        for s in suggestions
        if (not role or s.member.role == role) and (not place or s.member.pk in located)
    ]


def query_for_thread(thread: Thread) -> Query:
    opening = thread.posts.filter(parent__isnull=True).values_list("body_md", flat=True).first()
    return Query(
        text=f"{thread.title}\n{opening or ''}",
        tags=tuple(thread.tags.values_list("slug", flat=True)),
        at=thread.created_at,
        asker=thread.author_id,
        query_id=thread.pk,
    )


def answered_by(thread: Thread) -> set[int]:
    return set(
        thread.posts.filter(~Q(author=None), parent__isnull=False).values_list(
            "author_id", flat=True
        )
    )


def suggest_owners(threads: Sequence[Thread]) -> dict[int, SuggestedOwner]:
    """For each thread, the staff member who solved the most similar problems (the engagement
    inbox's suggested owner), in a fixed number of queries whatever the number of threads."""
    if not threads:
        return {}
    finder = community_finder()
    staff = set(
        Member.objects.filter(role__in=COMPANY_STAFF_ROLES, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if not staff or not finder.people:
        return {}
    penalty = penalties(finder.people)
    ids = [thread.pk for thread in threads]
    openings = dict(
        Post.objects.filter(thread_id__in=ids, parent__isnull=True).values_list(
            "thread_id", "body_md"
        )
    )
    tags: dict[int, list[str]] = {}
    for thread_id, slug in Thread.tags.through.objects.filter(thread_id__in=ids).values_list(
        "thread_id", "topic__slug"
    ):
        tags.setdefault(thread_id, []).append(slug)
    best: dict[int, tuple[int, str]] = {}
    for thread in threads:
        query = Query(
            text=f"{thread.title}\n{openings.get(thread.pk, '')}",
            tags=tuple(tags.get(thread.pk, ())),
            at=thread.created_at,
            asker=thread.author_id,
            query_id=thread.pk,
        )
        ranked = finder.rank(query, k=1, penalty=penalty, among=staff, evidence=1)
        if ranked:
            expert = _translated(ranked[0])
            why = ", ".join(name for name, _ in expert.reasons[:2]) or gettext("closest record")
            best[thread.pk] = (int(expert.person), why)  # type: ignore[call-overload]
    members = Member.objects.in_bulk([person for person, _ in best.values()])
    return {
        thread_id: SuggestedOwner(members[person], why)
        for thread_id, (person, why) in best.items()
        if person in members
    }
