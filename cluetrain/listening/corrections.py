"""Staff correct (or confirm) the labels listening gave a message.

A correction replaces the label at once, is applied again after every re-read, keeps the
reader's original value, and counts toward the community's own accuracy figure ("labels
checked by staff: N, agreed: X %"). Product corrections teach the next refit which product a
message is about (refresh.corpus).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from cluetrain.core.errors import ActionError
from cluetrain.listening.models import Enrichment, LabelCorrection, RootIssue
from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.threads.models import Post
from cluetrain_analytics.text.experience import INTENTS
from cluetrain_analytics.text.tweeteval import LABELS

Label = LabelCorrection.Label
EVENT_MAX = 120
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Agreement:
    checked: int
    agreed: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.agreed / self.checked, 1) if self.checked else None


def current_labels(enrichment: Enrichment) -> dict[str, str]:
    """The labels as stored now, each as one string ("" for none)."""
    products = sorted(enrichment.products.values_list("slug", flat=True))
    return {
        Label.SENTIMENT: enrichment.sentiment,
        Label.EMOTION: enrichment.emotion,
        Label.INTENT: enrichment.intent,
        Label.EVENT: enrichment.event,
        Label.PRODUCT: products[0] if products else "",
        Label.ROOT_ISSUE: str(enrichment.root_issue_id or ""),
    }


def _clean(label: str, value: str) -> str:
    value = " ".join(value.split())
    allowed: Mapping[str, Iterable[str]] = {
        Label.SENTIMENT: SENTIMENTS,
        Label.EMOTION: LABELS["emotion"],
        Label.INTENT: ("", *INTENTS),
    }
    if label in allowed and value not in allowed[label]:
        messages: Mapping[str, str] = {
            Label.SENTIMENT: gettext("“%(value)s” is not a sentiment label."),
            Label.EMOTION: gettext("“%(value)s” is not an emotion label."),
            Label.INTENT: gettext("“%(value)s” is not an intent label."),
        }
        not_a = messages[label]
        raise ActionError(not_a % {"value": value}, field=label)
    if label == Label.EVENT and len(value) > EVENT_MAX:
        raise ActionError(
            gettext("Keep the event under %(limit)s characters.") % {"limit": EVENT_MAX},
            field=label,
        )
    if label == Label.PRODUCT and value and not Product.objects.filter(slug=value).exists():
        raise ActionError(gettext("No product “%(slug)s”.") % {"slug": value}, field=label)
    if label == Label.ROOT_ISSUE and value:
        live = RootIssue.objects.exclude(status=RootIssue.Status.MERGED)
        if not value.isdigit() or not live.filter(pk=int(value)).exists():
            raise ActionError(gettext("Choose a root issue that is not merged."), field=label)
    return value


def check_correct_labels(member: Member, post: Post, values: Mapping[str, str]) -> int:
    """Validate staff's labels for one read message; return how many labels were checked."""
    if not member.is_company_staff:
        raise ActionError(gettext("Only staff correct labels."), status=403)
    enrichment = Enrichment.objects.filter(post=post).first()
    if enrichment is None:
        raise ActionError(gettext("This message has not been read yet."), status=409)
    unknown = set(values) - set(Label.values)
    if unknown:
        raise ActionError(
            ngettext("Unknown label: %(names)s.", "Unknown labels: %(names)s.", len(unknown))
            % {"names": ", ".join(sorted(unknown))}
        )
    cleaned = {label: _clean(label, value) for label, value in values.items()}
    if not cleaned:
        raise ActionError(gettext("Give at least one label."))
    return do_correct_labels(member, enrichment, cleaned)


@transaction.atomic
def do_correct_labels(member: Member, enrichment: Enrichment, values: Mapping[str, str]) -> int:
    now = timezone.now()
    machine = current_labels(enrichment)
    earlier = {
        c.label: c.machine_value
        for c in LabelCorrection.objects.filter(post_id=enrichment.post_id, label__in=values)
    }
    for label, value in values.items():
        LabelCorrection.objects.update_or_create(
            post_id=enrichment.post_id,
            label=label,
            defaults={
                "machine_value": earlier.get(label, machine[label]),
                "value": value,
                "by": member,
                "at": now,
            },
        )
    apply_corrections([enrichment.post_id])
    return len(values)


def apply_corrections(post_ids: Iterable[int]) -> None:
    """Put staff's labels back on these messages' enrichments (after a re-read)."""
    corrections = LabelCorrection.objects.filter(post_id__in=list(post_ids)).order_by("post_id")
    by_post: dict[int, dict[str, str]] = {}
    for c in corrections:
        by_post.setdefault(c.post_id, {})[str(c.label)] = c.value
    plain = [str(name) for name in (Label.SENTIMENT, Label.EMOTION, Label.INTENT, Label.EVENT)]
    for post_id, labels in by_post.items():
        fields: dict[str, str | None] = {name: labels[name] for name in plain if name in labels}
        if Label.ROOT_ISSUE in labels:
            fields["root_issue_id"] = labels[Label.ROOT_ISSUE] or None
        if fields:
            Enrichment.objects.filter(post_id=post_id).update(**fields)
        if Label.PRODUCT in labels:
            enrichment = Enrichment.objects.get(post_id=post_id)
            product = Product.objects.filter(slug=labels[Label.PRODUCT]).first()
            enrichment.products.set([product] if product else [])


def agreement() -> dict[str, Agreement]:
    """Per label and overall ("all"): how many staff checked and how many agreed."""
    rows = LabelCorrection.objects.values("label").annotate(
        n_checked=Count("pk"), n_agreed=Count("pk", filter=Q(value=F("machine_value")))
    )
    found = {row["label"]: Agreement(row["n_checked"], row["n_agreed"]) for row in rows}
    found["all"] = Agreement(
        sum(a.checked for a in found.values()), sum(a.agreed for a in found.values())
    )
    return found


def corrected_products() -> dict[int, str]:
    """Post id -> the product staff say it is about ("" for none)."""
    rows = LabelCorrection.objects.filter(label=Label.PRODUCT).values_list("post_id", "value")
    return dict(rows)
