"""Retrain the community's own sentiment and emotion heads from the labels staff checked.

Every message staff corrected or confirmed (corrections.py) is a labelled example of this
community's language. `do_retrain` fits new heads over the shipped fast tier
(cluetrain_analytics.text.community) and stores them as a new FittedModel row: the shipped
model is never changed, and the previous rows are kept. The new row changes the readers'
version, so messages are read again in the background with the new heads, and what is read
afterwards uses them. The row's report holds the heads' accuracy on held-out staff labels
beside the shipped tier's, shown on the dashboard.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cluetrain.core.errors import ActionError
from cluetrain.listening.enrichment import message_text
from cluetrain.listening.models import FittedModel, LabelCorrection
from cluetrain.listening.readers import LABELS, forget_readers, load_tier
from cluetrain.members.models import Member
from cluetrain.threads.models import Post
from cluetrain_analytics.artifacts import dumps_artifact
from cluetrain_analytics.text.community import (
    COMMUNITY_TASKS,
    MIN_CORRECTIONS,
    TooFewCorrections,
    fit_community_heads,
)
from cluetrain_analytics.text.fast import FastTier

#: Messages of the community (not checked by staff) that keep the heads near the shipped tier.
MAX_BACKGROUND = 2_000

Examples = dict[str, tuple[list[str], list[str]]]


def checked_examples() -> Examples:
    """Per task, the texts of the messages staff labelled and the labels they gave."""
    rows = (
        LabelCorrection.objects.filter(label__in=COMMUNITY_TASKS, post__is_deleted=False)
        .exclude(value="")
        .order_by("post_id", "label")
        .values_list("label", "value", "post__thread__title", "post__body_md", "post__parent_id")
    )
    found: Examples = {task: ([], []) for task in COMMUNITY_TASKS}
    for label, value, title, body, parent_id in rows:
        texts, values = found[label]
        texts.append(message_text(title, body, parent_id is None))
        values.append(value)
    return found


def _background(exclude: set[int]) -> list[str]:
    rows = (
        Post.objects.filter(is_deleted=False, is_hidden=False, is_staff_reply=False)
        .exclude(pk__in=exclude)
        .order_by("-pk")
        .values_list("thread__title", "body_md", "parent_id")[:MAX_BACKGROUND]
    )
    return [message_text(title, body, parent_id is None) for title, body, parent_id in rows]


def _refusal(examples: Examples) -> str | None:
    if settings.LISTENING_TIER != "fast":
        return _("The community's heads are fitted over the fast tier; listening uses another.")
    if all(len(texts) < MIN_CORRECTIONS for texts, _labels in examples.values()):
        return _(
            "Too few labels checked by staff to retrain: %(sentiment)s of sentiment and "
            "%(emotion)s of emotion; at least %(minimum)s of one of them are needed."
        ) % {
            "sentiment": len(examples["sentiment"][0]),
            "emotion": len(examples["emotion"][0]),
            "minimum": MIN_CORRECTIONS,
        }
    return None


def check_retrain(member: Member) -> None:
    """Refuse (ActionError) unless a staff member asks and there are enough checked labels."""
    if not member.is_company_staff:
        raise ActionError(_("Only staff retrain the community's models."), status=403)
    refusal = _refusal(checked_examples())
    if refusal:
        raise ActionError(refusal, status=409)


def do_retrain(*, folds: int = 5) -> FittedModel:
    """Fit and store new heads; ActionError when there are too few checked labels."""
    examples = checked_examples()
    refusal = _refusal(examples)
    if refusal:
        raise ActionError(refusal, status=409)
    tier = load_tier("fast")
    assert isinstance(tier, FastTier)
    checked_posts = set(
        LabelCorrection.objects.filter(label__in=COMMUNITY_TASKS).values_list("post_id", flat=True)
    )
    try:
        heads = fit_community_heads(
            tier,
            {task: pair for task, pair in examples.items() if pair[0]},
            _background(checked_posts),
            folds=folds,
        )
    except TooFewCorrections as error:
        raise ActionError(str(error), status=409) from error
    now = timezone.now()
    row = FittedModel.objects.create(
        kind=LABELS,
        version=f"labels-{now:%Y%m%d%H%M%S}",
        blob=dumps_artifact(heads),
        corpus_size=sum(len(texts) for texts, _labels in examples.values()),
        fitted_at=now,
        report=heads.report,
    )
    forget_readers()
    return row


def latest_report() -> FittedModel | None:
    """The heads in use, for the dashboard (None before the first retrain)."""
    rows = FittedModel.objects.filter(kind=LABELS).defer("blob")
    return rows.order_by("-fitted_at", "-pk").first()


def dashboard_rows(row: FittedModel | None) -> list[dict[str, object]]:
    """Per task of the heads in use: checked labels, held-out accuracy and the shipped
    model's on the same messages, in percent."""
    if row is None:
        return []
    return [
        {
            "task": task,
            "n": found["n"],
            "accuracy": round(100 * found["held_out_accuracy"], 1),
            "shipped": round(100 * found["shipped_accuracy"], 1),
        }
        for task, found in sorted(row.report.items())
    ]
