"""The spam filter on the platform: every new or edited contribution is screened, and held.

Posts (a thread's opening or a reply), reviews (with the deception model's probability),
ideas and profiles (headline and bio) are scored with cluetrain_analytics.text.spam as they
are written, inside the writing transaction (subscribed in ModerationConfig.ready()). At or
above the threshold a contribution is held:

- a post is hidden with the existing hide flag (`is_hidden`, so search, feeds, notifications,
  the API and listening already leave it out) and marked `is_held`, which lets its author
  still see it, marked "awaiting moderation"; a held opening post holds its thread too;
- a profile's held headline and bio move into the Screening row and leave the profile empty
  until a moderator approves them;
- what a higher app holds itself (a personal request: `do_screen_subject`) is scored here and
  kept from others by that app; the moderator's decision reaches it as ContributionDecided
  (moderation never imports it).

Staff, moderators and admins are never held (nor screened). Decisions: actions.py.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from cluetrain.core.events import publish
from cluetrain.members.events import ProfileEdited
from cluetrain.members.models import Member, Profile
from cluetrain.moderation.events import ContributionHeld, PostHiddenChanged, ThreadHiddenChanged
from cluetrain.moderation.models import Screening, SpamModel
from cluetrain.reviews.events import ReviewPosted
from cluetrain.reviews.models import Review
from cluetrain.threads.events import PostCreated, PostEdited
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.text.deception import (
    DeceptionModel,
    load_deception_model,
    polarity_from_rating,
)
from cluetrain_analytics.text.spam import Contribution, SpamScorer, SpamVerdict, content_hash

log = logging.getLogger(__name__)

#: How far back the same text counts as seen before.
REPEAT_WINDOW = timedelta(days=30)
#: From this account age on, only the author's own repeats count: established members echo
#: one another ("same here, since the update") and campaigns come from fresh accounts.
ESTABLISHED_AFTER = timedelta(days=30)

_releasing: ContextVar[bool] = ContextVar("moderation_releasing", default=False)


@contextmanager
def releasing() -> Iterator[None]:
    """While a moderator releases a contribution, its creation events are published again
    (so that what was withheld goes out); they are not screened a second time."""
    token = _releasing.set(True)
    try:
        yield
    finally:
        _releasing.reset(token)


def current_scorer() -> SpamScorer:
    """The community's latest refitted scorer, or the documented one (threshold: settings)."""
    threshold = float(getattr(settings, "SPAM_HOLD_THRESHOLD", SpamScorer().threshold))
    latest = SpamModel.objects.order_by("-created_at", "-pk").first()
    if latest is None:
        return SpamScorer(threshold=threshold)
    return SpamScorer(
        weights=dict(latest.weights),
        bias=latest.bias,
        threshold=latest.threshold,
        decisions=latest.decisions,
    )


@lru_cache(maxsize=1)
def deception_model() -> DeceptionModel | None:
    try:
        return load_deception_model()
    except Exception:  # an artifact that this install cannot read: score without it
        log.exception("The deception model could not be loaded; reviews are scored without it")
        return None


def deception_probability(text: str, stars: int | None) -> float | None:
    model = deception_model()
    if model is None:
        return None
    return float(model.probability([text], [polarity_from_rating(stars)])[0])


def contribution_for(
    author: Member,
    text: str,
    kind: str,
    *,
    at: datetime,
    exclude_post: int | None = None,
    exclude_subject: int | None = None,
    deception: float | None = None,
) -> Contribution:
    """What the scorer reads: the text, and what the platform knows around it."""
    age = max((at - author.date_joined).total_seconds() / 86400, 0.0)
    posts = Post.objects.filter(author=author, is_deleted=False)
    if exclude_post is not None:
        posts = posts.exclude(pk=exclude_post)
    seen = Screening.objects.filter(
        content_hash=content_hash(text), created_at__gte=at - REPEAT_WINDOW
    )
    if age >= ESTABLISHED_AFTER.total_seconds() / 86400:
        seen = seen.filter(author=author)
    if exclude_post is not None:
        seen = seen.exclude(post_id=exclude_post)
    elif kind == Screening.Kind.PROFILE:
        seen = seen.exclude(author=author, kind=Screening.Kind.PROFILE)
    elif exclude_subject is not None:  # its own earlier versions are not repeats
        seen = seen.exclude(kind=kind, subject_id=exclude_subject)
    return Contribution(
        text=text,
        kind=kind,  # type: ignore[arg-type]
        account_age_days=age,
        author_post_count=posts.count(),
        times_seen_before=seen.count(),
        deception_probability=deception,
    )


def _record(
    author: Member,
    kind: str,
    contribution: Contribution,
    verdict: SpamVerdict,
    scorer: SpamScorer,
    *,
    post: Post | None = None,
    subject_id: int | None = None,
    held_fields: dict[str, str] | None = None,
) -> Screening:
    return Screening.objects.create(
        kind=kind,
        author=author,
        post=post,
        subject_id=subject_id,
        status=Screening.Status.HELD if verdict.held else Screening.Status.PASSED,
        # Only held text is kept: the decision on it retrains the filter.
        text=contribution.text if verdict.held else "",
        held_fields=held_fields or {},
        content_hash=content_hash(contribution.text),
        account_age_days=contribution.account_age_days,
        author_post_count=contribution.author_post_count,
        times_seen_before=contribution.times_seen_before,
        deception_probability=contribution.deception_probability,
        score=verdict.score,
        threshold=scorer.threshold,
        reasons=verdict.reasons,
        named_reasons=[[name, values] for name, values in verdict.named],
        scorer_decisions=scorer.decisions,
        created_at=timezone.now(),
    )


def _exempt(author: Member | None) -> bool:
    return author is None or author.is_company_staff or _releasing.get()


def _post_text(post: Post) -> str:
    if post.parent_id is None:
        return f"{post.thread.title}\n\n{post.body_md}"
    return post.body_md


def do_screen_post(
    post: Post, kind: str, *, stars: int | None = None, edited: bool = False
) -> Screening | None:
    """Score one post (written, or `edited`, by its author) and hold it at the threshold."""
    author = post.author
    if author is None or _exempt(author) or post.is_hidden or post.is_deleted:
        return None
    text = _post_text(post)
    deception = deception_probability(text, stars) if kind == Screening.Kind.REVIEW else None
    contribution = contribution_for(
        author, text, kind, at=timezone.now(), exclude_post=post.pk, deception=deception
    )
    scorer = current_scorer()
    verdict = scorer.score(contribution)
    screening = _record(author, kind, contribution, verdict, scorer, post=post)
    if verdict.held:
        do_hold_post(post, counted=edited)
        publish(
            ContributionHeld(
                screening_id=screening.pk, kind=kind, author_id=author.pk, post_id=post.pk
            )
        )
    return screening


def do_hold_post(post: Post, *, counted: bool = False) -> None:
    """Hide a post (and the thread it opens) as awaiting moderation.

    A held reply is not in its thread's reply count: a new one is never added (`do_reply`
    skips a reply held as it was written), one already `counted` (edited into spam) is taken
    out; approval adds it back once (actions._release_post).
    """
    Post.objects.filter(pk=post.pk).update(is_hidden=True, is_held=True)
    post.is_hidden = post.is_held = True
    if counted and post.parent_id is not None:
        Thread.objects.filter(pk=post.thread_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    if post.parent_id is None:
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=True, is_held=True)
        publish(ThreadHiddenChanged(thread_id=post.thread_id, hidden=True, moderator_id=None))
    publish(
        PostHiddenChanged(post_id=post.pk, thread_id=post.thread_id, hidden=True, moderator_id=None)
    )


def do_screen_subject(
    author: Member, kind: str, subject_id: int, fields: dict[str, str]
) -> Screening | None:
    """Score what a higher app writes (a personal request: its title and description) and
    record the verdict; None when its author is never screened (staff).

    The caller keeps a held subject from everyone but its author and the moderators; the
    decision comes back as ContributionDecided (approved or not) with this row's id. A newer
    verdict on the same subject supersedes an earlier one still awaiting a decision.
    """
    if _exempt(author):
        return None
    text = "\n\n".join(value for value in fields.values() if value.strip())
    contribution = contribution_for(
        author, text, kind, at=timezone.now(), exclude_subject=subject_id
    )
    scorer = current_scorer()
    verdict = scorer.score(contribution)
    screening = _record(
        author,
        kind,
        contribution,
        verdict,
        scorer,
        subject_id=subject_id,
        held_fields=fields if verdict.held else None,
    )
    forget_held_subject(kind, subject_id, keep=screening.pk)
    if verdict.held:
        publish(
            ContributionHeld(
                screening_id=screening.pk, kind=kind, author_id=author.pk, post_id=None
            )
        )
    return screening


def forget_held_subject(kind: str, subject_id: int, *, keep: int | None = None) -> int:
    """Drop the verdicts on `subject_id` still awaiting a decision (it was edited again, or
    deleted): nothing is left in the queue to decide. Decided ones stay (retraining)."""
    held = Screening.objects.filter(kind=kind, subject_id=subject_id, status=Screening.Status.HELD)
    deleted, _ = held.exclude(pk=keep or 0).delete()
    return deleted


def _post(post_id: int) -> Post | None:
    return Post.objects.select_related("thread", "author").filter(pk=post_id).first()


def on_post_created(event: PostCreated) -> None:
    post = _post(event.post_id)
    if post is None or _exempt(post.author):
        return
    kind = post.thread.kind
    if post.parent_id is None and kind == Thread.Kind.REVIEW:
        return  # screened on ReviewPosted, with its stars
    if post.parent_id is None and kind == Thread.Kind.IDEA:
        do_screen_post(post, Screening.Kind.IDEA)
    else:
        do_screen_post(post, Screening.Kind.POST)


def on_review_posted(event: ReviewPosted) -> None:
    opening = (
        Post.objects.select_related("thread", "author")
        .filter(thread_id=event.thread_id, parent__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )
    if opening is not None and not _exempt(opening.author):
        do_screen_post(opening, Screening.Kind.REVIEW, stars=event.stars)


def on_post_edited(event: PostEdited) -> None:
    """An author's edit is screened again: an approved post edited into spam is held."""
    if not event.text_changed or event.editor_id != event.author_id:
        return
    post = _post(event.post_id)
    if post is None or _exempt(post.author):
        return
    kind, stars = Screening.Kind.POST, None
    if post.parent_id is None and post.thread.kind == Thread.Kind.REVIEW:
        kind = Screening.Kind.REVIEW
        review = Review.objects.filter(thread_id=post.thread_id).only("stars").first()
        stars = review.stars if review else None
    elif post.parent_id is None and post.thread.kind == Thread.Kind.IDEA:
        kind = Screening.Kind.IDEA
    do_screen_post(post, kind, stars=stars, edited=True)


PROFILE_FIELDS = ("headline", "bio")


def on_profile_edited(event: ProfileEdited) -> None:
    profile = Profile.objects.select_related("member").filter(member_id=event.member_id).first()
    if profile is None or _exempt(profile.member):
        return
    fields = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    text = "\n\n".join(value for value in fields.values() if value.strip())
    author = profile.member
    if not text:
        # Emptied by its author: no earlier text is shown again if a later edit is held.
        _shown_profiles(author).update(held_fields={})
        return
    contribution = contribution_for(author, text, Screening.Kind.PROFILE, at=timezone.now())
    scorer = current_scorer()
    verdict = scorer.score(contribution)
    # A passed profile keeps its fields too (they are public on the profile page): if a later
    # edit is held, others go on seeing these, the last approved ones.
    shown = _shown_profiles(author).first()
    screening = _record(
        author, Screening.Kind.PROFILE, contribution, verdict, scorer, held_fields=fields
    )
    if verdict.held:
        # Earlier held edits of this profile are superseded by this one.
        Screening.objects.filter(
            author=author, kind=Screening.Kind.PROFILE, status=Screening.Status.HELD
        ).exclude(pk=screening.pk).delete()
        approved = shown.held_fields if shown is not None else {}
        Profile.objects.filter(pk=profile.pk).update(
            **{name: approved.get(name, "") for name in PROFILE_FIELDS}
        )
        with releasing():  # what reads profiles (search) reads it again, as approved
            publish(ProfileEdited(member_id=author.pk))
        publish(
            ContributionHeld(
                screening_id=screening.pk,
                kind=Screening.Kind.PROFILE,
                author_id=author.pk,
                post_id=None,
            )
        )


def _shown_profiles(author: Member) -> QuerySet[Screening]:
    """The member's profile texts that passed or were approved, latest first."""
    return Screening.objects.filter(
        author=author,
        kind=Screening.Kind.PROFILE,
        status__in=[Screening.Status.PASSED, Screening.Status.APPROVED],
    ).order_by("-created_at", "-pk")


def held_profile(member: Member) -> Screening | None:
    """The member's profile text awaiting moderation, if any."""
    return (
        Screening.objects.filter(
            author=member, kind=Screening.Kind.PROFILE, status=Screening.Status.HELD
        )
        .order_by("-created_at", "-pk")
        .first()
    )
