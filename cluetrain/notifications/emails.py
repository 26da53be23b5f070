"""E-mail: one message per notification, or a digest of a day or a week (docs/notifications.md).

Nothing here writes. What a message names is read with the recipient's rights at the time the
message is built, so a thread that became staff-only, hidden or deleted since never appears.
Every message carries a one-click unsubscribe link (RFC 8058): a signed token naming the member
and their preference's version, which works once.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Max, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import ngettext

from cluetrain.core.links import site_url
from cluetrain.members.models import Member
from cluetrain.notifications.models import EmailPreference, Frequency, Notification
from cluetrain.notifications.visibility import still_visible
from cluetrain.spaces.access import readable_space_filter
from cluetrain.threads.models import Post, Thread, ThreadFollow

UNSUBSCRIBE_SALT = "cluetrain.notifications.unsubscribe"
# An unsubscribe link older than this is refused (the settings page still works).
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)
DIGEST_LIMIT = 20  # items of each kind in one digest


def in_language_of(member: Member) -> translation.override:
    """Write to the member in the language they chose on the site (else the site's own)."""
    return translation.override(member.language or settings.LANGUAGE_CODE)


def frequency_of(member_id: int) -> str:
    chosen = (
        EmailPreference.objects.filter(member_id=member_id)
        .values_list("frequency", flat=True)
        .first()
    )
    return chosen or settings.NOTIFICATION_EMAIL_DEFAULT


def token_version(member_id: int) -> int:
    version = (
        EmailPreference.objects.filter(member_id=member_id)
        .values_list("token_version", flat=True)
        .first()
    )
    return version or 0


def unsubscribe_token(member_id: int) -> str:
    return signing.dumps(
        {"m": member_id, "v": token_version(member_id)}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(member id, version) from a genuine, unexpired token; None otherwise."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    member_id, version = data.get("m"), data.get("v")
    if not isinstance(member_id, int) or not isinstance(version, int):
        return None
    return member_id, version


def _message(
    member: Member, subject: str, template: str, context: dict[str, object]
) -> EmailMultiAlternatives:
    """Plain text from `template` (a .txt) with an HTML alternative from its .html twin, both
    with the unsubscribe link; the HTML escapes what members wrote (Django's autoescape)."""
    unsubscribe = site_url(reverse("unsubscribe", args=[unsubscribe_token(member.pk)]))
    full_context = {
        **context,
        "member": member,
        "site_name": settings.SITE_NAME,
        "unsubscribe_url": unsubscribe,
        "settings_url": site_url(reverse("email_settings")),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(template, full_context),
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    html = render_to_string(template.removesuffix(".txt") + ".html", full_context)
    message.attach_alternative(html, "text/html")
    return message


def notification_link(notification: Notification) -> str:
    if notification.post_id is not None:
        return site_url(reverse("post_link", args=[notification.post_id]))
    if notification.thread_id is not None:
        return site_url(reverse("thread", args=[notification.thread_id]))
    if notification.kind == Notification.Kind.CONNECT_REQUEST:
        return site_url(reverse("connections"))
    if notification.actor is not None:
        return site_url(reverse("profile", args=[notification.actor.username]))
    return site_url(reverse("notifications"))


def notification_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The e-mail for one notification, or None if the recipient may no longer see it."""
    member = notification.recipient
    visible = Notification.objects.filter(still_visible(member), pk=notification.pk).exists()
    if not visible or not member.email or not member.is_active:
        return None
    with in_language_of(member):
        return _message(
            member,
            Truncator(notification.as_text()).chars(120) or notification.get_kind_display(),
            "notifications/email/notification.txt",
            {"notification": notification, "link": notification_link(notification)},
        )


# --- Digests ------------------------------------------------------------------------------


@dataclass
class ThreadActivity:
    title: str
    space: str
    replies: int
    link: str


@dataclass
class Digest:
    notifications: list[tuple[str, str]] = field(default_factory=list)  # (text, link)
    new_threads: list[ThreadActivity] = field(default_factory=list)
    active_threads: list[ThreadActivity] = field(default_factory=list)

    @property
    def items(self) -> int:
        return len(self.notifications) + len(self.new_threads) + len(self.active_threads)


def digest_recipients(frequency: str) -> QuerySet[Member]:
    """Active members with an address who chose this frequency (or have the default)."""
    chosen = EmailPreference.objects.filter(frequency=frequency).values("member_id")
    members = Member.objects.filter(is_active=True).exclude(email="")
    if frequency == settings.NOTIFICATION_EMAIL_DEFAULT:
        return members.filter(Q(pk__in=chosen) | Q(email_preference__isnull=True))
    return members.filter(pk__in=chosen)


def period_bounds(frequency: str, now: datetime) -> tuple[datetime, datetime]:
    """The last complete day (midnight to midnight) or week (Monday to Monday), in TIME_ZONE."""
    local = timezone.localtime(now)
    end = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Frequency.WEEKLY:
        end -= timedelta(days=end.weekday())
        return end - timedelta(days=7), end
    return end - timedelta(days=1), end


def _visible_threads(member: Member) -> Q:
    """Threads the member may read today (moderators also see hidden ones)."""
    readable = readable_space_filter(member)
    return readable if member.can_moderate else readable & Q(is_hidden=False)


def build_digest(member: Member, start: datetime, end: datetime) -> Digest:
    """What happened in [start, end) that the member may read now: unread notifications, new
    threads in the spaces they follow, replies in the threads they started, replied in or
    follow."""
    digest = Digest()
    notifications = (
        Notification.objects.filter(
            still_visible(member),
            recipient=member,
            read_at__isnull=True,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("actor")
        .order_by("-created_at")[:DIGEST_LIMIT]
    )
    with in_language_of(member):
        digest.notifications = [(n.as_text(), notification_link(n)) for n in notifications]

    visible = _visible_threads(member)
    new_threads = (
        Thread.objects.filter(
            visible,
            space__followers__member=member,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(author=member)
        .select_related("space")
        .order_by("-created_at")[:DIGEST_LIMIT]
    )
    digest.new_threads = [
        ThreadActivity(
            t.title, t.space.name, t.reply_count, site_url(reverse("thread", args=[t.pk]))
        )
        for t in new_threads
    ]

    replied_in = Post.objects.filter(author=member).values("thread_id")
    followed = ThreadFollow.objects.filter(member=member).values("thread_id")
    post_visible = (
        Q(is_deleted=False) if member.can_moderate else Q(is_deleted=False, is_hidden=False)
    )
    replies = (
        Post.objects.filter(
            post_visible,
            thread__in=Thread.objects.filter(visible).filter(
                Q(author=member) | Q(pk__in=replied_in) | Q(pk__in=followed)
            ),
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(author=member)
        .values("thread_id")
        .annotate(n=Count("pk"), latest=Max("created_at"))
        .order_by("-latest")[:DIGEST_LIMIT]
    )
    counts = {row["thread_id"]: row["n"] for row in replies}
    threads = Thread.objects.filter(pk__in=counts).select_related("space")
    by_id = {t.pk: t for t in threads}
    digest.active_threads = [
        ThreadActivity(
            by_id[tid].title,
            by_id[tid].space.name,
            n,
            site_url(reverse("thread", args=[tid])),
        )
        for tid, n in counts.items()
        if tid in by_id
    ]
    return digest


def digest_message(
    member: Member, frequency: str, start: datetime, digest: Digest
) -> EmailMultiAlternatives:
    label = "weekly" if frequency == Frequency.WEEKLY else "daily"
    with in_language_of(member):
        if frequency == Frequency.WEEKLY:
            subject = ngettext(
                "Your weekly digest: %(count)s new item",
                "Your weekly digest: %(count)s new items",
                digest.items,
            )
        else:
            subject = ngettext(
                "Your daily digest: %(count)s new item",
                "Your daily digest: %(count)s new items",
                digest.items,
            )
        return _message(
            member,
            subject % {"count": digest.items},
            "notifications/email/digest.txt",
            {"digest": digest, "label": label, "start": start},
        )
