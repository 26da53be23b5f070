"""Verbs on jams and their themes. `check_*` validates and refuses; `do_*` writes.

Who may post in a jam is decided here (`refusal`) and enforced twice: the jam's own pages and
API ask before posting, and `cluetrain/jams/guard.py` refuses any post written into a jam's
space by any other way (the thread pages, the threads API) inside the same transaction.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.ideas.actions import check_create_idea
from cluetrain.ideas.models import Idea
from cluetrain.jams import tasks
from cluetrain.jams.allowance import posting_allowed
from cluetrain.jams.events import ThemeChanged
from cluetrain.jams.models import Highlight, Jam, Theme, ThemeAssignment
from cluetrain.jams.report import forget_live
from cluetrain.members.models import Member
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Post

TITLE_MAX_CHARS = 120
QUESTION_MAX_CHARS = 2000
LABEL_MAX_CHARS = 120
NOTE_MAX_CHARS = 280
SPLIT_MAX_POSTS = 500

VISIBILITY = {
    Jam.Audience.EVERYONE: Space.Visibility.PUBLIC,
    Jam.Audience.MEMBERS: Space.Visibility.PUBLIC,
    Jam.Audience.STAFF: Space.Visibility.STAFF,
    Jam.Audience.INVITED: Space.Visibility.PARTNERS,
}


def jam_state(jam: Jam, now: datetime | None = None) -> str:
    """ "upcoming", "live" or "closed"."""
    now = now or timezone.now()
    if now < jam.starts_at:
        return "upcoming"
    return "live" if now < jam.ends_at else "closed"


def _is_host_or_moderator(member: Member, jam: Jam) -> bool:
    return jam.hosts.filter(pk=member.pk).exists() or jam.moderators.filter(pk=member.pk).exists()


def takes_part(member: Member, jam: Jam) -> bool:
    """Whether the jam's audience includes `member` (hosts and moderators always)."""
    if not member.is_active:
        return False
    audience = jam.audience
    if audience == Jam.Audience.EVERYONE:
        return True
    if member.is_company_staff or _is_host_or_moderator(member, jam):
        return True
    if audience == Jam.Audience.MEMBERS:
        return member.role != Member.Role.PARTNER
    if audience == Jam.Audience.INVITED:
        return jam.invited.filter(pk=member.pk).exists()
    return False


def refusal(member: Member, jam: Jam, when: datetime | None = None) -> str | None:
    """Why `member` may not post in `jam` at `when`, or None when they may."""
    when = when or timezone.now()
    if when < jam.starts_at:
        start = date_format(timezone.localtime(jam.starts_at), "SHORT_DATETIME_FORMAT")
        return gettext("This jam has not started yet: it opens on %(start)s.") % {"start": start}
    if when >= jam.ends_at:
        return gettext(
            "This jam has ended: it is closed for posting. Its report stays open to read."
        )
    if not takes_part(member, jam):
        return gettext("This jam is open to %(audience)s only.") % {
            "audience": jam.get_audience_display().lower()
        }
    return None


def check_may_post(member: Member, jam: Jam) -> None:
    reason = refusal(member, jam)
    if reason is not None:
        raise ActionError(reason, status=403)


def check_post_idea(member: Member, jam: Jam, *, title: str, body_md: str) -> Idea:
    check_may_post(member, jam)
    with posting_allowed(member.pk, jam.pk):
        return check_create_idea(member, jam.space, title=title, body_md=body_md)


def _check_staff(member: Member) -> None:
    if not member.is_company_staff:
        raise ActionError(gettext("Only staff can create jams."), status=403)


def check_create_jam(
    creator: Member,
    *,
    title: str,
    question: str,
    starts_at: datetime,
    ends_at: datetime,
    audience: str,
    hosts: Sequence[Member],
    moderators: Sequence[Member] = (),
    invited: Sequence[Member] = (),
) -> Jam:
    _check_staff(creator)
    title = title.strip()
    question = question.strip()
    if not title:
        raise ActionError(gettext("Give the jam a title."), field="title")
    if len(title) > TITLE_MAX_CHARS:
        raise ActionError(
            gettext("Titles are limited to %(limit)s characters.") % {"limit": TITLE_MAX_CHARS},
            field="title",
        )
    if not question:
        raise ActionError(gettext("Ask the jam's question."), field="question")
    if len(question) > QUESTION_MAX_CHARS:
        raise ActionError(
            gettext("The question is limited to %(limit)s characters.")
            % {"limit": QUESTION_MAX_CHARS},
            field="question",
        )
    # A time without a zone (an API client's "2030-01-01T09:00") is the site's local time.
    starts_at, ends_at = (
        timezone.make_aware(t) if timezone.is_naive(t) else t for t in (starts_at, ends_at)
    )
    if ends_at <= starts_at:
        raise ActionError(gettext("The jam must end after it starts."), field="ends_at")
    if audience not in Jam.Audience.values:
        raise ActionError(
            gettext("Choose who may take part: %(choices)s.")
            % {"choices": ", ".join(Jam.Audience.values)},
            field="audience",
        )
    if not hosts:
        raise ActionError(gettext("Name at least one host."), field="hosts")
    if any(not h.is_company_staff for h in hosts):
        raise ActionError(gettext("Hosts are staff."), field="hosts")
    if invited and audience != Jam.Audience.INVITED:
        raise ActionError(
            gettext("Invitations are for jams open to invited partners."), field="invited"
        )
    return do_create_jam(
        creator,
        title=title,
        question=question,
        starts_at=starts_at,
        ends_at=ends_at,
        audience=audience,
        hosts=hosts,
        moderators=moderators,
        invited=invited,
    )


def _free_slug(title: str) -> str:
    base = (slugify(title)[:40] or "jam").rstrip("-")
    if not base.endswith("jam"):
        base += "-jam"
    slug, n = base, 2
    while Space.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def do_create_jam(
    creator: Member | None,
    *,
    title: str,
    question: str,
    starts_at: datetime,
    ends_at: datetime,
    audience: str = Jam.Audience.EVERYONE,
    hosts: Iterable[Member] = (),
    moderators: Iterable[Member] = (),
    invited: Iterable[Member] = (),
) -> Jam:
    space = Space.objects.create(
        name=title,
        slug=_free_slug(title),
        kind=Space.Kind.IDEAS,
        visibility=VISIBILITY[Jam.Audience(audience)],
        description=question,
        position=1000,
    )
    jam = Jam.objects.create(
        space=space,
        title=title,
        question=question,
        starts_at=starts_at,
        ends_at=ends_at,
        audience=audience,
        created_by=creator,
    )
    jam.hosts.set(list(hosts))
    jam.moderators.set(list(moderators))
    jam.invited.set(list(invited))
    transaction.on_commit(
        lambda: tasks.schedule_announcements(jam.pk, (jam.starts_at, jam.ends_at))
    )
    return jam


def can_moderate_themes(member: Member, jam: Jam) -> bool:
    return member.can_moderate or _is_host_or_moderator(member, jam)


def _check_moderates(member: Member, jam: Jam) -> None:
    if not can_moderate_themes(member, jam):
        raise ActionError(
            gettext("Only the jam's hosts and moderators can change its themes."), status=403
        )


def _check_label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise ActionError(gettext("Give the theme a name."), field="label")
    if len(label) > LABEL_MAX_CHARS:
        raise ActionError(
            gettext("Names are limited to %(limit)s characters.") % {"limit": LABEL_MAX_CHARS},
            field="label",
        )
    return label


def _check_live_theme(theme: Theme) -> None:
    if theme.merged_into_id is not None:
        raise ActionError(gettext("This theme was merged into another one."), status=409)


def check_rename_theme(member: Member, theme: Theme, label: str) -> Theme:
    _check_moderates(member, theme.jam)
    _check_live_theme(theme)
    return do_rename_theme(theme, _check_label(label))


@transaction.atomic
def do_rename_theme(theme: Theme, label: str) -> Theme:
    Theme.objects.filter(pk=theme.pk).update(
        label=label, label_pinned=True, moderated=True, updated_at=timezone.now()
    )
    publish(ThemeChanged(theme_id=theme.pk, jam_id=theme.jam_id, change="renamed"))
    transaction.on_commit(lambda: forget_live(theme.jam_id))
    theme.refresh_from_db()
    return theme


def check_merge_themes(member: Member, theme: Theme, into: Theme) -> Theme:
    _check_moderates(member, theme.jam)
    _check_live_theme(theme)
    _check_live_theme(into)
    if into.jam_id != theme.jam_id:
        raise ActionError(gettext("Themes merge only within one jam."), field="into")
    if into.pk == theme.pk:
        raise ActionError(gettext("Choose another theme to merge into."), field="into")
    return do_merge_themes(theme, into)


@transaction.atomic
def do_merge_themes(theme: Theme, into: Theme) -> Theme:
    """Every post of `theme` goes to `into`, pinned: later clustering keeps them together."""
    now = timezone.now()
    moved = ThemeAssignment.objects.filter(theme=theme).update(theme=into, pinned=True)
    ThemeAssignment.objects.filter(theme=into).update(pinned=True)
    Theme.objects.filter(pk=theme.pk).update(
        merged_into=into, size=0, moderated=True, updated_at=now
    )
    Theme.objects.filter(merged_into=theme).update(merged_into=into)
    Theme.objects.filter(pk=into.pk).update(size=F("size") + moved, moderated=True, updated_at=now)
    enqueue_on_commit(tasks.recluster_jam, theme.jam_id, False)
    publish(ThemeChanged(theme_id=theme.pk, jam_id=theme.jam_id, change="merged", into_id=into.pk))
    transaction.on_commit(lambda: forget_live(theme.jam_id))
    into.refresh_from_db()
    return into


def check_split_theme(member: Member, theme: Theme, post_ids: Sequence[int], label: str) -> Theme:
    _check_moderates(member, theme.jam)
    _check_live_theme(theme)
    label = _check_label(label)
    wanted = set(post_ids)
    if not wanted:
        raise ActionError(gettext("Choose the posts that make the new theme."), field="posts")
    if len(wanted) > SPLIT_MAX_POSTS:
        raise ActionError(
            gettext("Split at most %(max)s posts at once.") % {"max": SPLIT_MAX_POSTS},
            field="posts",
        )
    found = set(
        ThemeAssignment.objects.filter(theme=theme, post_id__in=wanted).values_list(
            "post_id", flat=True
        )
    )
    if found != wanted:
        raise ActionError(gettext("Some of the chosen posts are not in this theme."), field="posts")
    if len(found) >= theme.size:
        raise ActionError(gettext("Leave at least one post in the theme you split."), field="posts")
    return do_split_theme(theme, sorted(found), label)


@transaction.atomic
def do_split_theme(theme: Theme, post_ids: Sequence[int], label: str) -> Theme:
    """A new theme of the chosen posts, pinned there; the rest stay in `theme`."""
    now = timezone.now()
    new = Theme.objects.create(
        jam_id=theme.jam_id,
        label=label,
        label_pinned=True,
        moderated=True,
        centroid=theme.centroid,
        size=len(post_ids),
        created_at=now,
        updated_at=now,
    )
    ThemeAssignment.objects.filter(theme=theme, post_id__in=post_ids).update(theme=new, pinned=True)
    Theme.objects.filter(pk=theme.pk).update(
        size=F("size") - len(post_ids), moderated=True, updated_at=now
    )
    enqueue_on_commit(tasks.recluster_jam, theme.jam_id, False)
    publish(ThemeChanged(theme_id=new.pk, jam_id=theme.jam_id, change="split", from_id=theme.pk))
    transaction.on_commit(lambda: forget_live(theme.jam_id))
    return new


def check_highlight(member: Member, jam: Jam, post: Post, note: str) -> Highlight:
    if not jam.hosts.filter(pk=member.pk).exists():
        raise ActionError(gettext("Only the jam's hosts can highlight posts."), status=403)
    if post.thread.space_id != jam.space_id or post.is_deleted or post.is_hidden:
        raise ActionError(gettext("Highlight a visible post of this jam."), field="post")
    note = " ".join(note.split())
    if len(note) > NOTE_MAX_CHARS:
        raise ActionError(
            gettext("Notes are limited to %(limit)s characters.") % {"limit": NOTE_MAX_CHARS},
            field="note",
        )
    if Highlight.objects.filter(jam=jam, post=post).exists():
        raise ActionError(gettext("This post is already highlighted."), status=409)
    return do_highlight(member, jam, post, note)


def do_highlight(host: Member | None, jam: Jam, post: Post, note: str) -> Highlight:
    made = Highlight.objects.create(
        jam=jam, post=post, host=host, note=note, created_at=timezone.now()
    )
    forget_live(jam.pk)
    return made


def check_usernames(text: str, field: str) -> list[Member]:
    """Comma-separated usernames to members, refused when one is unknown."""
    names = list(dict.fromkeys(n.strip().lstrip("@") for n in text.split(",") if n.strip()))
    found = {m.username: m for m in Member.objects.filter(username__in=names, is_active=True)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ActionError(
            gettext("No such member: %(names)s.") % {"names": ", ".join(missing[:5])}, field=field
        )
    return [found[n] for n in names]
