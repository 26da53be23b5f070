"""A member hears what a moderator decided about a contribution the spam filter held: that it
is visible now, or that it will not be published."""

from django.utils.translation import gettext_noop

from cluetrain.core.sentences import Sentence
from cluetrain.moderation.events import ContributionDecided
from cluetrain.moderation.models import Screening
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification


def _what(kind: str) -> str:
    names: dict[str, str] = {
        Screening.Kind.POST.value: gettext_noop("your post"),
        Screening.Kind.REVIEW.value: gettext_noop("your review"),
        Screening.Kind.IDEA.value: gettext_noop("your idea"),
        Screening.Kind.PROFILE.value: gettext_noop("the changes to your profile"),
        Screening.Kind.REQUEST.value: gettext_noop("your personal request"),
    }
    return names.get(kind, gettext_noop("your contribution"))


def on_contribution_decided(event: ContributionDecided) -> None:
    screening = Screening.objects.filter(pk=event.screening_id).first()
    if screening is None:
        return
    if event.approved:
        said = gettext_noop("A moderator approved %(what)s: everyone can see it now.")
    else:
        said = gettext_noop("A moderator did not publish %(what)s.")
    do_notify(
        recipient_id=screening.author_id,
        kind=Notification.Kind.MODERATION,
        dedupe_key=f"moderation:{screening.pk}",
        # A rejected post stays hidden: the notice names no post to open.
        post_id=screening.post_id if event.approved else None,
        sentence=Sentence(said, {"what": _what(screening.kind)}, translated=("what",)),
    )
