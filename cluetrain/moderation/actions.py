"""Flags and moderation verbs. Every act writes one ModerationAction row: the audit log."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.ratelimit import do_take_or_refuse
from cluetrain.members.events import ProfileEdited
from cluetrain.members.models import Member, Profile
from cluetrain.moderation.events import (
    ContributionDecided,
    PostHiddenChanged,
    ThreadHiddenChanged,
    ThreadMoved,
)
from cluetrain.moderation.models import Flag, ModerationAction, Screening, SpamModel
from cluetrain.moderation.screening import current_scorer, releasing
from cluetrain.reviews.events import ReviewPosted
from cluetrain.reviews.models import Review
from cluetrain.spaces.access import can_read_space
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import can_move_to
from cluetrain.threads.events import PostCreated, PostDeleted, PostEdited
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.text.spam import Contribution, SpamScorer, fit_from_decisions

NOTE_MAX_CHARS = 500
REASON_MAX_CHARS = 500

Act = ModerationAction.Action
_AWAITS = (
    "The spam filter holds this for moderation: approve or reject it in the queue "
    "(Moderation, Held by the spam filter)."
)


def _check_moderator(member: Member) -> None:
    if not member.can_moderate:
        raise ActionError(gettext("Only moderators can do this."), status=403)


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) > REASON_MAX_CHARS:
        raise ActionError(
            gettext("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX_CHARS},
            field="reason",
        )
    return reason


def _log(actor: Member, action: str, *, reason: str = "", **targets: Any) -> ModerationAction:
    return ModerationAction.objects.create(
        actor=actor, action=action, reason=reason, created_at=timezone.now(), **targets
    )


# Flags


def check_flag_post(reporter: Member, post: Post, *, reason: str, note: str = "") -> Flag:
    if reason not in Flag.Reason.values:
        raise ActionError(gettext("Choose why you are flagging this post."), field="reason")
    note = note.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ActionError(
            gettext("Keep the note under %(limit)s characters.") % {"limit": NOTE_MAX_CHARS},
            field="note",
        )
    if post.author_id == reporter.pk:
        raise ActionError(
            gettext("You cannot flag your own post; edit or delete it instead."), status=403
        )
    if post.is_deleted:
        raise ActionError(gettext("This post has been deleted."), status=409)
    if Flag.objects.filter(post=post, reporter=reporter, status=Flag.Status.OPEN).exists():
        raise ActionError(
            gettext("You have already flagged this post; a moderator will look at it soon."),
            status=409,
        )
    if not reporter.can_moderate:
        do_take_or_refuse(
            f"flag:{reporter.pk}",
            limit=settings.FLAG_RATE_LIMIT_PER_HOUR,
            window=timedelta(hours=1),
            message=gettext(
                "You have flagged many posts in the last hour; moderators will look at "
                "them. Please wait before flagging more."
            ),
        )
    try:
        return do_flag_post(reporter, post, reason=reason, note=note)
    except IntegrityError:
        # Two submissions at once: the unique constraint kept it to one open flag.
        raise ActionError(
            gettext("You have already flagged this post; a moderator will look at it soon."),
            status=409,
        ) from None


@transaction.atomic
def do_flag_post(reporter: Member, post: Post, *, reason: str, note: str = "") -> Flag:
    return Flag.objects.create(
        post=post, reporter=reporter, reason=reason, note=note, created_at=timezone.now()
    )


def check_resolve_flag(moderator: Member, flag: Flag, *, uphold: bool, reason: str = "") -> Flag:
    _check_moderator(moderator)
    reason = _check_reason(reason)
    if flag.status != Flag.Status.OPEN:
        raise ActionError(gettext("This flag has already been resolved."), status=409)
    return do_resolve_flag(moderator, flag, uphold=uphold, reason=reason)


@transaction.atomic
def do_resolve_flag(moderator: Member, flag: Flag, *, uphold: bool, reason: str = "") -> Flag:
    """Uphold hides the post and closes every open flag on it; dismiss closes this one."""
    now = timezone.now()
    status = Flag.Status.UPHELD if uphold else Flag.Status.DISMISSED
    flags = Flag.objects.filter(pk=flag.pk, status=Flag.Status.OPEN)
    if uphold:
        flags = Flag.objects.filter(post_id=flag.post_id, status=Flag.Status.OPEN)
    flag_ids = list(flags.values_list("pk", flat=True))
    flags.update(status=status, resolved_by=moderator, resolved_at=now)
    post = flag.post
    _log(
        moderator,
        Act.RESOLVE_FLAG,
        reason=reason,
        post=post,
        thread_id=post.thread_id,
        target_member_id=post.author_id,
        details={"outcome": status, "flag_ids": flag_ids},
    )
    if uphold and not post.is_hidden:
        # The log entry above says why (the upheld flag); this one says what was done.
        do_set_post_hidden(moderator, post, hidden=True, reason=reason)
    flag.refresh_from_db()
    return flag


# Posts


def check_moderate_post(moderator: Member, post: Post, *, hide: bool, reason: str = "") -> Post:
    _check_moderator(moderator)
    reason = _check_reason(reason)
    if post.is_held:
        raise ActionError(_AWAITS, status=409)
    if post.is_hidden == hide:
        already = (
            gettext("This post is already hidden.")
            if hide
            else gettext("This post is already visible.")
        )
        raise ActionError(already, status=409)
    return do_set_post_hidden(moderator, post, hidden=hide, reason=reason)


@transaction.atomic
def do_set_post_hidden(moderator: Member, post: Post, *, hidden: bool, reason: str = "") -> Post:
    post.is_hidden = hidden
    post.save(update_fields=["is_hidden"])
    publish(
        PostHiddenChanged(
            post_id=post.pk, thread_id=post.thread_id, hidden=hidden, moderator_id=moderator.pk
        )
    )
    _log(
        moderator,
        Act.HIDE_POST if hidden else Act.UNHIDE_POST,
        reason=reason,
        post=post,
        thread_id=post.thread_id,
        target_member_id=post.author_id,
    )
    return post


# Threads

THREAD_ACTIONS = ("hide", "unhide", "lock", "unlock", "pin", "unpin", "move")
_FLAGS = {
    "hide": (
        "is_hidden",
        True,
        Act.HIDE_THREAD,
        gettext_lazy("Nothing to do: the thread is already hidden."),
    ),
    "unhide": (
        "is_hidden",
        False,
        Act.UNHIDE_THREAD,
        gettext_lazy("Nothing to do: the thread is already visible."),
    ),
    "lock": (
        "is_locked",
        True,
        Act.LOCK_THREAD,
        gettext_lazy("Nothing to do: the thread is already locked."),
    ),
    "unlock": (
        "is_locked",
        False,
        Act.UNLOCK_THREAD,
        gettext_lazy("Nothing to do: the thread is already unlocked."),
    ),
    "pin": (
        "is_pinned",
        True,
        Act.PIN_THREAD,
        gettext_lazy("Nothing to do: the thread is already pinned."),
    ),
    "unpin": (
        "is_pinned",
        False,
        Act.UNPIN_THREAD,
        gettext_lazy("Nothing to do: the thread is already not pinned."),
    ),
}


def check_moderate_thread(
    moderator: Member,
    thread: Thread,
    *,
    action: str,
    reason: str = "",
    to_space: Space | None = None,
) -> Thread:
    _check_moderator(moderator)
    reason = _check_reason(reason)
    if action not in THREAD_ACTIONS:
        raise ActionError(gettext("Unknown moderation action."), field="action")
    if thread.is_held and action in ("hide", "unhide"):
        raise ActionError(_AWAITS, status=409)
    if action == "move":
        if to_space is None or not can_read_space(moderator, to_space):
            raise ActionError(gettext("Choose the space to move the thread to."), field="space")
        if to_space.pk == thread.space_id:
            raise ActionError(gettext("The thread is already in that space."), field="space")
        if not can_move_to(thread, to_space):
            raise ActionError(
                gettext(
                    "Ideas and reviews stay in spaces of their own kind, and other threads "
                    "cannot move there."
                ),
                field="space",
            )
        return do_move_thread(moderator, thread, to_space, reason=reason)
    field, value, _, already = _FLAGS[action]
    if getattr(thread, field) == value:
        raise ActionError(str(already), status=409)
    return do_set_thread_flag(moderator, thread, action, reason=reason)


@transaction.atomic
def do_set_thread_flag(
    moderator: Member, thread: Thread, action: str, *, reason: str = ""
) -> Thread:
    field, value, act, _ = _FLAGS[action]
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    if field == "is_hidden":
        publish(ThreadHiddenChanged(thread_id=thread.pk, hidden=value, moderator_id=moderator.pk))
    _log(moderator, act, reason=reason, thread=thread, target_member_id=thread.author_id)
    return thread


@transaction.atomic
def do_move_thread(
    moderator: Member, thread: Thread, to_space: Space, *, reason: str = ""
) -> Thread:
    from_space = thread.space
    thread.space = to_space
    thread.save(update_fields=["space"])
    publish(
        ThreadMoved(
            thread_id=thread.pk,
            from_space_id=from_space.pk,
            to_space_id=to_space.pk,
            moderator_id=moderator.pk,
        )
    )
    _log(
        moderator,
        Act.MOVE_THREAD,
        reason=reason,
        thread=thread,
        target_member_id=thread.author_id,
        details={"from": from_space.slug, "to": to_space.slug},
    )
    return thread


# Subscribed in ModerationConfig.ready(), inside the publishing transaction: a change to
# someone else's post commits with its line in the audit log, or not at all.


def log_edit_by_other(event: PostEdited) -> None:
    if event.editor_id != event.author_id:
        _log_post_change(
            event.editor_id, Act.EDIT_POST, event.post_id, event.thread_id, event.author_id
        )


def log_delete_by_other(event: PostDeleted) -> None:
    if event.deleted_by_id != event.author_id:
        _log_post_change(
            event.deleted_by_id, Act.DELETE_POST, event.post_id, event.thread_id, event.author_id
        )


def _log_post_change(
    actor_id: int, action: str, post_id: int, thread_id: int, author_id: int | None
) -> None:
    ModerationAction.objects.create(
        actor_id=actor_id,
        action=action,
        thread_id=thread_id,
        post_id=post_id,
        target_member_id=author_id,
        created_at=timezone.now(),
    )


# Contributions the spam filter held (cluetrain.moderation.screening)


def check_decide_held(
    moderator: Member, screening: Screening, *, approve: bool, reason: str = ""
) -> Screening:
    _check_moderator(moderator)
    reason = _check_reason(reason)
    if screening.status != Screening.Status.HELD:
        raise ActionError(
            gettext("This contribution has already been decided (%(status)s).")
            % {"status": screening.get_status_display()},
            status=409,
        )
    return do_decide_held(moderator, screening, approve=approve, reason=reason)


@transaction.atomic
def do_decide_held(
    moderator: Member, screening: Screening, *, approve: bool, reason: str = ""
) -> Screening:
    """Approve: the contribution appears, and what it would have set off goes out now.
    Reject: it stays hidden, as spam. Either way the decision is kept for retraining."""
    now = timezone.now()
    screening.status = Screening.Status.APPROVED if approve else Screening.Status.REJECTED
    screening.decided_by = moderator
    screening.decided_at = now
    screening.save(update_fields=["status", "decided_by", "decided_at"])
    post = screening.post
    if post is not None:
        if approve:
            _release_post(moderator, post)
        else:
            # Now an ordinary hidden post: what moderators hide, marked as spam in the log.
            Post.objects.filter(pk=post.pk).update(is_held=False)
            Thread.objects.filter(pk=post.thread_id, is_held=True).update(is_held=False)
    elif approve and screening.kind == Screening.Kind.PROFILE:
        Profile.objects.filter(member_id=screening.author_id).update(**screening.held_fields)
        with releasing():
            publish(ProfileEdited(member_id=screening.author_id))
    _log(
        moderator,
        Act.APPROVE_HELD if approve else Act.REJECT_HELD,
        reason=reason,
        post=post,
        thread_id=post.thread_id if post else None,
        target_member_id=screening.author_id,
        details={
            "screening_id": screening.pk,
            "kind": screening.kind,
            "subject_id": screening.subject_id,
            "score": round(screening.score, 4),
            "reasons": screening.reasons,
        },
    )
    publish(
        ContributionDecided(screening_id=screening.pk, approved=approve, moderator_id=moderator.pk)
    )
    return screening


def _release_post(moderator: Member, post: Post) -> None:
    Post.objects.filter(pk=post.pk).update(is_hidden=False, is_held=False)
    opening = post.parent_id is None
    if not opening:
        # Held, it was left out of the thread's count and activity: it counts once, now.
        Thread.objects.filter(pk=post.thread_id).update(
            reply_count=F("reply_count") + 1,
            last_activity_at=Greatest(F("last_activity_at"), Value(post.created_at)),
        )
    if opening:
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=False, is_held=False)
        publish(
            ThreadHiddenChanged(thread_id=post.thread_id, hidden=False, moderator_id=moderator.pk)
        )
    publish(
        PostHiddenChanged(
            post_id=post.pk, thread_id=post.thread_id, hidden=False, moderator_id=moderator.pk
        )
    )
    # Published again so that what was withheld (notifications, webhooks, relationships
    # read from it) goes out now; the filter does not screen it a second time.
    with releasing():
        publish(
            PostCreated(
                post_id=post.pk,
                thread_id=post.thread_id,
                author_id=post.author_id,
                parent_id=post.parent_id,
            )
        )
        review = Review.objects.filter(thread_id=post.thread_id).first() if opening else None
        if review is not None and review.author_id is not None:
            publish(
                ReviewPosted(
                    review_id=review.pk,
                    thread_id=review.thread_id,
                    author_id=review.author_id,
                    product_id=review.product_id,
                    stars=review.stars,
                )
            )


def false_hold_rate() -> tuple[float | None, int, int]:
    """The share of decided held contributions that moderators approved: (rate, approved,
    decided); the rate is None before any decision."""
    decided = Screening.objects.filter(
        status__in=[Screening.Status.APPROVED, Screening.Status.REJECTED]
    )
    total = decided.count()
    approved = decided.filter(status=Screening.Status.APPROVED).count()
    return (approved / total if total else None), approved, total


def decided_examples() -> tuple[list[Contribution], list[bool]]:
    """Every decided held contribution as the scorer saw it, and whether it was spam."""
    rows = Screening.objects.filter(
        status__in=[Screening.Status.APPROVED, Screening.Status.REJECTED]
    ).order_by("decided_at", "pk")
    contributions, spam = [], []
    for row in rows:
        contributions.append(
            Contribution(
                text=row.text,
                kind=row.kind,  # type: ignore[arg-type]
                account_age_days=row.account_age_days,
                author_post_count=row.author_post_count,
                times_seen_before=row.times_seen_before,
                deception_probability=row.deception_probability,
            )
        )
        spam.append(row.status == Screening.Status.REJECTED)
    return contributions, spam


def check_retrain(actor: Member | None, *, prior_strength: float = 1.0) -> SpamModel:
    """Refit the spam filter from moderators' decisions (actor None: the command line)."""
    if actor is not None and actor.role != Member.Role.ADMIN:
        raise ActionError(gettext("Only administrators can retrain the spam filter."), status=403)
    if prior_strength <= 0:
        raise ActionError(gettext("The prior strength must be positive."), field="prior_strength")
    contributions, spam = decided_examples()
    if not contributions:
        raise ActionError(
            gettext("No decisions yet: approve or reject held contributions first."), status=409
        )
    return do_retrain(actor, contributions, spam, prior_strength=prior_strength)


@transaction.atomic
def do_retrain(
    actor: Member | None,
    contributions: list[Contribution],
    spam: list[bool],
    *,
    prior_strength: float = 1.0,
) -> SpamModel:
    """A new community scorer, fitted from the documented weights (never overwritten): each
    refit starts from them and reads every decision, so refitting twice changes nothing."""
    threshold = current_scorer().threshold
    fitted = fit_from_decisions(
        contributions,
        spam,
        prior=SpamScorer(threshold=threshold),
        prior_strength=prior_strength,
    )
    rate, _, _ = false_hold_rate()
    model = SpamModel.objects.create(
        weights=dict(fitted.weights),
        bias=fitted.bias,
        threshold=fitted.threshold,
        decisions=fitted.decisions,
        false_hold_rate=rate,
        created_by=actor,
        created_at=timezone.now(),
    )
    if actor is not None:
        _log(actor, Act.RETRAIN, details={"spam_model_id": model.pk, "decisions": len(spam)})
    return model
