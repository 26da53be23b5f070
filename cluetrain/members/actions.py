"""Verbs on members: sign up, edit a profile, follow, connect. `check_*` refuses; `do_*` writes."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.ratelimit import do_take_or_refuse
from cluetrain.members import avatars
from cluetrain.members.events import (
    ConnectionAnswered,
    ConnectionEnded,
    ConnectionMade,
    MemberDeleted,
    MemberJoined,
    ProfileEdited,
)
from cluetrain.members.models import Connection, Member, Profile
from cluetrain.topics.models import Topic

MAX_TAGS = 20
TAG_MAX_CHARS = 80


# --- Accounts -----------------------------------------------------------------------------


def check_signup(
    *, username: str, display_name: str, email: str, password: str, address: str | None = None
) -> Member:
    """Usernames and e-mail addresses are unique regardless of case.

    `address` is the client's IP address when a visitor signs up on the site: sign-ups from
    one address are limited per hour (SIGNUP_RATE_LIMIT_PER_HOUR).
    """
    username = username.strip()
    email = email.strip()
    if Member.objects.filter(username__iexact=username).exists():
        raise ActionError(
            gettext("That username is taken. Please choose another."), field="username"
        )
    if email and Member.objects.filter(email__iexact=email).exists():
        raise ActionError(
            gettext("An account with this e-mail address already exists."), field="email"
        )
    if address is not None:
        do_take_or_refuse(
            f"signup:{address}",
            limit=settings.SIGNUP_RATE_LIMIT_PER_HOUR,
            window=timedelta(hours=1),
            message=gettext(
                "Too many accounts were created from your network in the last hour. "
                "Please try again later."
            ),
        )
    return do_signup(
        username=username, display_name=display_name.strip(), email=email, password=password
    )


@transaction.atomic
def do_signup(*, username: str, display_name: str, email: str, password: str) -> Member:
    member = Member.objects.create_user(
        username=username,
        email=email,
        password=password,
        display_name=display_name,
        role=Member.Role.CUSTOMER,
    )
    Profile.objects.create(member=member)
    publish(MemberJoined(member_id=member.pk))
    return member


# --- Profile ------------------------------------------------------------------------------


def parse_tags(text: str) -> list[str]:
    """Comma-separated names, trimmed, without blanks or duplicates (by slug), in order."""
    names: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        slug = slugify(name)
        if slug and slug not in names:
            names[slug] = name
    return list(names.values())


def validate_tags(names: list[str], field: str) -> None:
    if len(names) > MAX_TAGS:
        raise ActionError(
            gettext("Up to %(max)s topics, please; you gave %(count)s.")
            % {"max": MAX_TAGS, "count": len(names)},
            field=field,
        )
    for name in names:
        if len(name) > TAG_MAX_CHARS:
            raise ActionError(
                gettext("Topics are limited to %(limit)s characters: “%(topic)s…”.")
                % {"limit": TAG_MAX_CHARS, "topic": name[:30]},
                field=field,
            )


def topics_for(names: Iterable[str]) -> list[Topic]:
    """The topic for each name, created when new; matched by slug, so "Wi-Fi" finds "wi-fi"."""
    topics = []
    for name in names:
        topic, _ = Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        topics.append(topic)
    return topics


def check_edit_profile(
    member: Member,
    *,
    display_name: str,
    headline: str,
    location: str,
    bio: str,
    expertise: list[str],
    interests: list[str],
) -> Profile:
    validate_tags(expertise, "expertise")
    validate_tags(interests, "interests")
    return do_edit_profile(
        member,
        display_name=display_name.strip(),
        headline=headline.strip(),
        location=location.strip(),
        bio=bio.strip(),
        expertise=expertise,
        interests=interests,
    )


@transaction.atomic
def do_edit_profile(
    member: Member,
    *,
    display_name: str,
    headline: str,
    location: str,
    bio: str,
    expertise: list[str],
    interests: list[str],
) -> Profile:
    profile, _ = Profile.objects.get_or_create(member=member)
    profile.headline = headline
    profile.location = location
    profile.bio = bio
    profile.save()
    profile.expertise.set(topics_for(expertise))
    profile.interests.set(topics_for(interests))
    if member.display_name != display_name:
        member.display_name = display_name
        member.save(update_fields=["display_name"])
    member.profile = profile  # callers read the profile just saved, not one cached before
    publish(ProfileEdited(member_id=member.pk))
    return profile


# --- Avatar -------------------------------------------------------------------------------


def do_choose_language(member: Member, language: str) -> None:
    """Remember the language the member chose on the site (their e-mails are written in it)."""
    Member.objects.filter(pk=member.pk).update(language=language)
    member.language = language


def check_set_avatar(member: Member, upload: UploadedFile | None) -> Member:
    """A picture within the size limit that Pillow reads as JPEG, PNG, GIF or WebP."""
    if upload is None:
        raise ActionError(gettext("Choose a picture to upload."), field="avatar")
    return do_set_avatar(member, avatars.process(upload))


def do_set_avatar(member: Member, webp: bytes) -> Member:
    name = avatars.file_name(member.pk, webp)
    path = f"{avatars.FOLDER}/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(webp))
    old = member.avatar
    Member.objects.filter(pk=member.pk).update(avatar=name)
    member.avatar = name
    if old and old != name:
        transaction.on_commit(lambda: _delete_avatar_file(old))
    publish(ProfileEdited(member_id=member.pk))
    return member


def do_remove_avatar(member: Member) -> bool:
    """Back to initials; False if there was no avatar."""
    old = member.avatar
    if not old:
        return False
    Member.objects.filter(pk=member.pk).update(avatar="")
    member.avatar = ""
    transaction.on_commit(lambda: _delete_avatar_file(old))
    publish(ProfileEdited(member_id=member.pk))
    return True


def _delete_avatar_file(name: str) -> None:
    if avatars.NAME.match(name) and not Member.objects.filter(avatar=name).exists():
        default_storage.delete(f"{avatars.FOLDER}/{name}")


def on_member_deleted(event: MemberDeleted) -> None:
    """Subscribed in MembersConfig.ready(), inside the deletion's transaction: the picture
    named now goes once the deletion commits (the deletion saves its member row after this)."""
    name = Member.objects.filter(pk=event.member_id).values_list("avatar", flat=True).first()
    if name:
        transaction.on_commit(lambda: do_forget_avatar(event.member_id, name))


def do_forget_avatar(member_id: int, name: str) -> None:
    Member.objects.filter(pk=member_id).update(avatar="")
    _delete_avatar_file(name)


# --- Follow -------------------------------------------------------------------------------


def check_follow(member: Member, target: Member) -> Connection:
    if member.pk == target.pk:
        raise ActionError(gettext("You cannot follow yourself."))
    if Connection.objects.filter(
        from_member=member, to_member=target, kind=Connection.Kind.FOLLOW
    ).exists():
        raise ActionError(
            gettext("You already follow %(name)s.") % {"name": target.name}, status=409
        )
    return do_follow(member, target)


@transaction.atomic
def _create_connection(member: Member, target: Member, kind: str, status: str) -> Connection:
    connection = Connection.objects.create(
        from_member=member, to_member=target, kind=kind, status=status, created_at=timezone.now()
    )
    publish(
        ConnectionMade(
            connection_id=connection.pk,
            from_member_id=member.pk,
            to_member_id=target.pk,
            kind=kind,
            status=status,
        )
    )
    return connection


def do_follow(member: Member, target: Member) -> Connection:
    return _create_connection(member, target, Connection.Kind.FOLLOW, Connection.Status.ACCEPTED)


def do_unfollow(member: Member, target: Member) -> bool:
    """False if there was nothing to undo."""
    deleted, _ = Connection.objects.filter(
        from_member=member, to_member=target, kind=Connection.Kind.FOLLOW
    ).delete()
    if deleted:
        publish(
            ConnectionEnded(member_id=member.pk, other_id=target.pk, kind=Connection.Kind.FOLLOW)
        )
    return deleted > 0


# --- Connect ------------------------------------------------------------------------------


def check_request_connection(member: Member, target: Member) -> Connection:
    """Ask to connect; if `target` already asked us, that request is accepted instead."""
    if member.pk == target.pk:
        raise ActionError(gettext("You cannot connect with yourself."))
    pair = {
        (c.from_member_id, c.to_member_id): c
        for c in Connection.objects.filter(
            from_member__in=[member, target],
            to_member__in=[member, target],
            kind=Connection.Kind.CONNECT,
        )
    }
    mine = pair.get((member.pk, target.pk))
    theirs = pair.get((target.pk, member.pk))
    if (mine and mine.status == Connection.Status.ACCEPTED) or (
        theirs and theirs.status == Connection.Status.ACCEPTED
    ):
        raise ActionError(
            gettext("You are already connected with %(name)s.") % {"name": target.name},
            status=409,
        )
    if theirs is not None:
        # They asked first (even if we declined then): saying yes now accepts their request.
        return do_respond_to_connection(theirs, accept=True)
    if mine is not None:
        # A declined request reads as still pending to its sender, as on most networks.
        raise ActionError(
            gettext("You already asked to connect with %(name)s.") % {"name": target.name},
            status=409,
        )
    return do_request_connection(member, target)


def do_request_connection(member: Member, target: Member) -> Connection:
    return _create_connection(member, target, Connection.Kind.CONNECT, Connection.Status.PENDING)


def check_respond_to_connection(
    member: Member, connection: Connection, *, accept: bool
) -> Connection:
    if connection.kind != Connection.Kind.CONNECT or connection.to_member_id != member.pk:
        raise ActionError(gettext("Only the person asked can answer this request."), status=403)
    if connection.status != Connection.Status.PENDING:
        raise ActionError(gettext("This request has already been answered."), status=409)
    return do_respond_to_connection(connection, accept=accept)


@transaction.atomic
def do_respond_to_connection(connection: Connection, *, accept: bool) -> Connection:
    connection.status = Connection.Status.ACCEPTED if accept else Connection.Status.DECLINED
    connection.responded_at = timezone.now()
    connection.save(update_fields=["status", "responded_at"])
    publish(
        ConnectionAnswered(
            connection_id=connection.pk,
            from_member_id=connection.from_member_id,
            to_member_id=connection.to_member_id,
            accepted=accept,
        )
    )
    return connection


def do_disconnect(member: Member, other: Member) -> bool:
    """End an accepted connection (or withdraw a request) in either direction."""
    deleted, _ = (
        Connection.objects.filter(kind=Connection.Kind.CONNECT)
        .filter(
            from_member__in=[member, other],
            to_member__in=[member, other],
        )
        .delete()
    )
    if deleted:
        publish(
            ConnectionEnded(member_id=member.pk, other_id=other.pk, kind=Connection.Kind.CONNECT)
        )
    return deleted > 0
