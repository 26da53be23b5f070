"""Deliver notifications. Each has a dedupe key, so delivering twice writes once."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.sentences import Sentence
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.members.actions import do_follow, topics_for, validate_tags
from cluetrain.members.events import ProfileEdited
from cluetrain.members.models import Connection, Member, Profile
from cluetrain.notifications import emails
from cluetrain.notifications.mailing import send_notification_email
from cluetrain.notifications.models import EmailPreference, Frequency, Notification
from cluetrain.notifications.visibility import may_be_told_about
from cluetrain.spaces.access import can_read_space
from cluetrain.spaces.actions import do_follow_space
from cluetrain.spaces.models import Space, SpaceFollow
from cluetrain.threads.models import Post, Thread


def do_notify(
    *,
    recipient_id: int,
    kind: str,
    dedupe_key: str,
    actor_id: int | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    idea_id: int | None = None,
    sentence: Sentence,
) -> bool:
    """Create one notification; False if it was already delivered, is to oneself, or names a
    thread or post the recipient may not read (a staff-only thread's title stays inside)."""
    if actor_id is not None and actor_id == recipient_id:
        return False
    if thread_id is not None or post_id is not None:
        recipient = Member.objects.filter(pk=recipient_id).first()
        thread = post = None
        if thread_id is not None:
            thread = Thread.objects.select_related("space").filter(pk=thread_id).first()
        if post_id is not None:
            post = Post.objects.select_related("thread__space").filter(pk=post_id).first()
        if recipient is None or not may_be_told_about(recipient, thread, post):
            return False
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient_id=recipient_id,
                kind=kind,
                dedupe_key=dedupe_key,
                actor_id=actor_id,
                thread_id=thread_id,
                post_id=post_id,
                idea_id=idea_id,
                text=sentence.as_record(),
                sentence=sentence.to_json(),
                created_at=timezone.now(),
            )
    except IntegrityError:
        return False
    if emails.frequency_of(recipient_id) == Frequency.IMMEDIATELY:
        enqueue_on_commit(send_notification_email, notification.pk)
    return True


def do_mark_all_read(recipient_id: int) -> int:
    return Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- E-mail preferences -------------------------------------------------------------------


def check_set_email_frequency(member: Member, frequency: str) -> EmailPreference:
    if frequency not in Frequency.values:
        raise ActionError(gettext("Choose how often to be e-mailed."), field="frequency")
    return do_set_email_frequency(member, frequency)


def do_set_email_frequency(member: Member, frequency: str) -> EmailPreference:
    preference, _ = EmailPreference.objects.update_or_create(
        member=member, defaults={"frequency": frequency}
    )
    return preference


def check_unsubscribe(token: str) -> Member:
    """A genuine link, used for the first time, turns every e-mail off for its member."""
    read = emails.read_unsubscribe_token(token)
    member = None
    if read is not None:
        member = Member.objects.filter(pk=read[0], is_active=True).first()
    if read is None or member is None:
        raise ActionError(
            gettext("This unsubscribe link is not valid. Sign in and choose your e-mail settings."),
            status=400,
        )
    if emails.token_version(member.pk) != read[1] or not do_unsubscribe(member, read[1]):
        raise ActionError(
            gettext(
                "This unsubscribe link has already been used. Sign in to change your e-mail "
                "settings."
            ),
            status=410,
        )
    return member


def do_unsubscribe(member: Member, version: int) -> bool:
    """E-mail off and the version raised, in one conditional write: False if the link was
    used meanwhile."""
    updated = EmailPreference.objects.filter(member=member, token_version=version).update(
        frequency=Frequency.OFF, token_version=F("token_version") + 1
    )
    if updated:
        return True
    if version != 0:
        return False
    try:
        with transaction.atomic():
            EmailPreference.objects.create(member=member, frequency=Frequency.OFF, token_version=1)
    except IntegrityError:
        return False  # a row appeared meanwhile: it has its own version
    return True


# --- Onboarding: what a new member follows ------------------------------------------------


def check_choose_follows(member: Member, *, spaces: list[Space], interests: list[str]) -> int:
    """Follow these spaces and take these topics as the member's interests (added to any
    they have). Returns how many spaces the member now follows."""
    for space in spaces:
        if not can_read_space(member, space):
            raise ActionError(gettext("You may not follow that space."), field="spaces", status=403)
    validate_tags(interests, "topics")
    return do_choose_follows(member, spaces=spaces, interests=interests)


@transaction.atomic
def do_choose_follows(member: Member, *, spaces: list[Space], interests: list[str]) -> int:
    for space in spaces:
        do_follow_space(member, space)
    if interests:
        profile, _ = Profile.objects.get_or_create(member=member)
        profile.interests.add(*topics_for(interests))
        publish(ProfileEdited(member_id=member.pk))
    return SpaceFollow.objects.filter(member=member).count()


def check_follow_people(member: Member, people: list[Member]) -> int:
    """Follow each of these people (those already followed are skipped); returns how many."""
    if any(person.pk == member.pk for person in people):
        raise ActionError(gettext("You cannot follow yourself."), field="people")
    if any(not person.is_active for person in people):
        raise ActionError(gettext("That account no longer exists."), field="people")
    return do_follow_people(member, people)


@transaction.atomic
def do_follow_people(member: Member, people: list[Member]) -> int:
    already = set(
        Connection.objects.filter(
            from_member=member, to_member__in=people, kind=Connection.Kind.FOLLOW
        ).values_list("to_member_id", flat=True)
    )
    new = [person for person in people if person.pk not in already]
    for person in new:
        do_follow(member, person)
    return len(new)
