"""A member hears what a moderator decided about a contribution the spam filter held: that it
is visible now, or that it will not be published."""

from django.utils.translation import gettext as _

from cluetrain.moderation.events import ContributionDecided
from cluetrain.moderation.models import Screening
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification


def _what(kind: str) -> str:
    names: dict[str, str] = {
        Screening.Kind.POST.value: _("your post"),
        Screening.Kind.REVIEW.value: _("your review"),
        Screening.Kind.IDEA.value: _("your idea"),
        Screening.Kind.PROFILE.value: _("the changes to your profile"),
        Screening.Kind.REQUEST.value: _("your personal request"),
    }
    return names.get(kind, _("your contribution"))


def on_contribution_decided(event: ContributionDecided) -> None:
    screening = Screening.objects.filter(pk=event.screening_id).first()
    if screening is None:
        return
    what = _what(screening.kind)
    if event.approved:
        text = _("A moderator approved %(what)s: everyone can see it now.") % {"what": what}
    else:
        text = _("A moderator did not publish %(what)s.") % {"what": what}
    do_notify(
        recipient_id=screening.author_id,
        kind=Notification.Kind.MODERATION,
        dedupe_key=f"moderation:{screening.pk}",
        # A rejected post stays hidden: the notice names no post to open.
        post_id=screening.post_id if event.approved else None,
        text=text,
    )
