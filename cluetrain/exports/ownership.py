"""Members own their data: download all of it as JSON, or delete the account (docs/export.md).

Deleting keeps the member row as a placeholder (so that rows pointing at it stay valid) but
empties it: a random placeholder username, no e-mail, names, password, profile, ties,
notifications, reactions, votes, tokens or sessions, and no search entry. Posts are either
kept without an author ("anonymize") or emptied and taken out of search ("remove").
"""

import re
import uuid
from typing import Any, Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext

from cluetrain.api.models import ApiToken
from cluetrain.blogs import export as blogs_export
from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.markdown import render_markdown
from cluetrain.core.sentences import Sentence
from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote
from cluetrain.intents import export as intents_export
from cluetrain.listening.models import Enrichment
from cluetrain.members.events import MemberDeleted
from cluetrain.members.models import Connection, Member, Profile
from cluetrain.moderation.models import Flag, ModerationAction, Screening
from cluetrain.notifications.models import Notification
from cluetrain.partners import export as partners_export
from cluetrain.relationships.models import RelationshipCorrection, RelationshipEvent, Tie
from cluetrain.reputation.models import FlaggedAccount, Reputation
from cluetrain.reviews.actions import do_sync_helpful_count
from cluetrain.reviews.models import Review
from cluetrain.search.indexing import index_post, remove_posts
from cluetrain.sources.models import ExternalIdentity
from cluetrain.spaces.models import SpaceFollow
from cluetrain.threads.models import Mention, Post, PostRevision, Reaction, Thread, ThreadFollow
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint

PostChoice = Literal["anonymize", "remove"]
POST_CHOICES: tuple[PostChoice, ...] = ("anonymize", "remove")
DELETED_MENTION = "@deleted-member"
REMOVED_TITLE = "[removed]"


# --- Download -----------------------------------------------------------------------------


def _rows(queryset: models.QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    return list(queryset.order_by("pk").values(*fields))


def member_data(member: Member) -> dict[str, Any]:
    """Everything Cluetrain keeps about `member`, as plain JSON-ready data."""
    profile = Profile.objects.filter(member=member).first()
    posts = Post.objects.filter(author=member)
    return {
        "format": "cluetrain-member-data",
        "format_version": 1,
        "exported_at": timezone.now(),
        "account": {
            "id": member.pk,
            "username": member.username,
            "email": member.email,
            "display_name": member.display_name,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "role": member.role,
            "organization": member.organization.name if member.organization else None,
            "date_joined": member.date_joined,
            "last_login": member.last_login,
        },
        "profile": {
            "headline": profile.headline,
            "bio": profile.bio,
            "location": profile.location,
            "expertise": sorted(t.name for t in profile.expertise.all()),
            "interests": sorted(t.name for t in profile.interests.all()),
        }
        if profile
        else None,
        "threads": _rows(
            Thread.objects.filter(author=member), "id", "title", "kind", "space__slug", "created_at"
        ),
        "posts": _rows(
            posts,
            "id",
            "thread_id",
            "thread__title",
            "parent_id",
            "body_md",
            "created_at",
            "edited_at",
            "is_hidden",
            "is_deleted",
        ),
        "post_revisions": _rows(
            PostRevision.objects.filter(post__author=member), "post_id", "body_md", "created_at"
        ),
        "reviews": _rows(
            Review.objects.filter(author=member),
            "id",
            "thread_id",
            "thread__title",
            "product__name",
            "organization__name",
            "reviewed_member__username",
            "stars",
            "created_at",
        ),
        "ideas": _rows(
            Idea.objects.filter(thread__author=member),
            "id",
            "thread__title",
            "status",
            "vote_count",
        ),
        "idea_votes": _rows(
            IdeaVote.objects.filter(member=member), "idea_id", "idea__thread__title", "created_at"
        ),
        "reactions": _rows(Reaction.objects.filter(member=member), "post_id", "kind", "created_at"),
        "thread_follows": _rows(
            ThreadFollow.objects.filter(member=member), "thread_id", "thread__title", "created_at"
        ),
        "connections_out": _rows(
            Connection.objects.filter(from_member=member),
            "to_member__username",
            "kind",
            "status",
            "created_at",
            "responded_at",
        ),
        "connections_in": _rows(
            Connection.objects.filter(to_member=member),
            "from_member__username",
            "kind",
            "status",
            "created_at",
            "responded_at",
        ),
        "space_follows": _rows(
            SpaceFollow.objects.filter(member=member), "space__slug", "created_at"
        ),
        "mentions": _rows(Mention.objects.filter(member=member), "post_id", "created_at"),
        "notifications": _rows(
            Notification.objects.filter(recipient=member),
            "kind",
            "actor__username",
            "thread_id",
            "post_id",
            "idea_id",
            "text",
            "created_at",
            "read_at",
        ),
        "flags_raised": _rows(
            Flag.objects.filter(reporter=member),
            "post_id",
            "reason",
            "note",
            "status",
            "created_at",
        ),
        "spam_filter": _rows(
            Screening.objects.filter(author=member),
            "kind",
            "post_id",
            "status",
            "text",
            "held_fields",
            "score",
            "reasons",
            "created_at",
            "decided_at",
        ),
        "external_identities": _rows(
            ExternalIdentity.objects.filter(member=member),
            "source__slug",
            "external_id",
            "handle",
            "display_name",
        ),
        "relationship_events": _rows(
            RelationshipEvent.objects.filter(
                models.Q(actor_member=member)
                | models.Q(target_member=member, inferred=True)
                | models.Q(target_member=member, kind__in=["recommend", "vouch", "referral"])
            ),
            "kind",
            "polarity",
            "weight",
            "inferred",
            "evidence",
            "actor_member__username",
            "target_member__username",
            "target_organization__name",
            "target_product__name",
            "about_member__username",
            "post_id",
            "occurred_at",
        ),
        "relationship_corrections": _rows(
            RelationshipCorrection.objects.filter(member=member),
            "origin",
            "kind",
            "action",
            "created_at",
        ),
        "relationships": _rows(
            Tie.objects.filter(models.Q(member=member) | models.Q(other_member=member)),
            "member__username",
            "other_member__username",
            "organization__name",
            "product__name",
            "strength",
            "polarity",
            "nature",
            "kinds",
            "updated_at",
        ),
        "personal_requests": intents_export.member_data(member),
        "blog": blogs_export.member_data(member),
        "api_tokens": _rows(
            ApiToken.objects.filter(member=member),
            "name",
            "scope",
            "prefix",
            "created_at",
            "last_used_at",
            "revoked_at",
        ),
    }


# --- Deletion -----------------------------------------------------------------------------


def check_delete_account(member: Member, *, password: str, posts: str) -> Member:
    if not member.check_password(password):
        raise ActionError(gettext("That is not your password."), field="password", status=403)
    if posts not in POST_CHOICES:
        raise ActionError(gettext("Choose what happens to your posts."), field="posts")
    if (
        member.is_superuser
        and not Member.objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ActionError(
            gettext("You are the last administrator: appoint another one first."), status=409
        )
    return do_delete_account(member, posts=posts)  # type: ignore[arg-type]


def _undo_reactions(member: Member) -> None:
    reactions = Reaction.objects.filter(member=member)
    per_post = reactions.values("post_id").annotate(n=Count("pk")).order_by()
    helpful_reviews = set(
        Review.objects.filter(
            thread__posts__reactions__member=member, thread__posts__reactions__kind="helpful"
        ).values_list("pk", flat=True)
    )
    for row in per_post:
        Post.objects.filter(pk=row["post_id"]).update(score=F("score") - row["n"])
    reactions.delete()
    for review_id in helpful_reviews:
        do_sync_helpful_count(review_id)


def _undo_votes(member: Member) -> None:
    # Votes go, and each idea's count is recounted, so counts always equal the rows.
    idea_ids = list(IdeaVote.objects.filter(member=member).values_list("idea_id", flat=True))
    IdeaVote.objects.filter(member=member).delete()
    for idea_id in idea_ids:
        Idea.objects.filter(pk=idea_id).update(
            vote_count=IdeaVote.objects.filter(idea_id=idea_id).count()
        )


def _scrub_mentions(member: Member) -> None:
    """Others' posts that @-mention the member name a placeholder instead."""
    # A name ends where record_mentions ends it: trailing full stops are punctuation.
    pattern = re.compile(rf"(?<![\w@])@{re.escape(member.username)}(?!\.*[\w+-])")
    post_ids = set(Mention.objects.filter(member=member).values_list("post_id", flat=True))
    for post in Post.objects.filter(pk__in=post_ids).select_related("thread__space"):
        post.body_md = pattern.sub(DELETED_MENTION, post.body_md)
        post.body_html = render_markdown(post.body_md)
        post.save(update_fields=["body_md", "body_html"])
        index_post(post)
    for revision in PostRevision.objects.filter(post_id__in=post_ids):
        revision.body_md = pattern.sub(DELETED_MENTION, revision.body_md)
        revision.save(update_fields=["body_md"])
    Mention.objects.filter(member=member).delete()


def _remove_posts(member: Member) -> None:
    posts = Post.objects.filter(author=member)
    post_ids = list(posts.values_list("pk", flat=True))
    PostRevision.objects.filter(post_id__in=post_ids).delete()
    posts.update(body_md="", body_html="", is_deleted=True, url="")
    remove_posts(post_ids)
    # What listening read in them (events, places) goes with the text.
    Enrichment.objects.filter(post_id__in=post_ids).delete()
    titles = dict(Thread.objects.filter(author=member).values_list("pk", "title"))
    # Others' notifications quote the thread's title ("Bob replied in “...”").
    quoting = Notification.objects.filter(
        models.Q(thread_id__in=titles)
        | models.Q(post__thread_id__in=titles)
        | models.Q(idea__thread_id__in=titles)
    ).select_related("post", "idea")
    for notification in quoting:
        thread_id = (
            notification.thread_id
            or (notification.post.thread_id if notification.post else None)
            or (notification.idea.thread_id if notification.idea else None)
        )
        title = titles.get(thread_id or 0, "")
        if title:
            notification.text = notification.text.replace(title, REMOVED_TITLE)
            sentence = Sentence.from_json(notification.sentence)
            if sentence is not None:
                notification.sentence = sentence.replacing(title, REMOVED_TITLE).to_json()
            notification.save(update_fields=["text", "sentence"])
    Thread.objects.filter(author=member).update(title=REMOVED_TITLE)
    Review.objects.filter(author=member).delete()
    # Relationship evidence quoting the removed posts loses its link.
    RelationshipEvent.objects.filter(post_id__in=post_ids).update(post=None)


def _null_remaining_references(member: Member) -> None:
    """Any other row still pointing at the member loses the link (or goes, if it must have one).

    A safety net for models added later: the explicit steps above already handled ours.
    """
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is not user_model:
                continue
            if model is Profile:
                continue
            rows = model._base_manager.filter(**{field.name: member})
            if field.null:
                rows.update(**{field.name: None})
            else:
                rows.delete()


def _end_sessions(member: Member) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(member.pk):
            session.delete()


@transaction.atomic
def do_delete_account(member: Member, *, posts: PostChoice) -> Member:
    old_username = member.username
    if posts == "remove":
        _remove_posts(member)
    _undo_reactions(member)
    _undo_votes(member)
    _scrub_mentions(member)
    intents_export.do_forget_customer(member)
    partners_export.do_forget_customer(member, replacement=REMOVED_TITLE)
    blogs_export.do_forget_member(member)
    Connection.objects.filter(models.Q(from_member=member) | models.Q(to_member=member)).delete()
    SpaceFollow.objects.filter(member=member).delete()
    ThreadFollow.objects.filter(member=member).delete()
    Notification.objects.filter(models.Q(recipient=member) | models.Q(actor=member)).delete()
    Flag.objects.filter(reporter=member).update(reporter=None, note="")
    ModerationAction.objects.filter(target_member=member).update(target_member=None)
    RelationshipEvent.objects.filter(
        models.Q(actor_member=member)
        | models.Q(target_member=member)
        | models.Q(about_member=member)
    ).delete()
    Tie.objects.filter(models.Q(member=member) | models.Q(other_member=member)).delete()
    RelationshipCorrection.objects.filter(member=member).delete()
    Reputation.objects.filter(member=member).delete()
    FlaggedAccount.objects.filter(member=member).delete()
    Review.objects.filter(reviewed_member=member).delete()
    ExternalIdentity.objects.filter(member=member).update(member=None)
    IdeaStatusChange.objects.filter(changed_by=member).update(changed_by=None)
    ApiToken.objects.filter(member=member).delete()
    WebhookEndpoint.objects.filter(created_by=member).update(created_by=None)
    # The log of sent payloads names authors: drop the entries that name this member.
    WebhookDelivery.objects.filter(payload__icontains=old_username).delete()
    _null_remaining_references(member)

    profile, _ = Profile.objects.get_or_create(member=member)
    profile.headline = profile.bio = profile.location = ""
    profile.save()
    profile.expertise.clear()
    profile.interests.clear()
    # The search entry goes at once (a subscriber, in this transaction); others react after.
    publish(MemberDeleted(member_id=member.pk))
    _end_sessions(member)

    member.username = f"deleted-{uuid.uuid4().hex[:16]}"
    member.email = member.first_name = member.last_name = member.display_name = ""
    member.set_unusable_password()
    member.is_active = member.is_staff = member.is_superuser = False
    member.role = Member.Role.CUSTOMER
    member.organization = None
    member.last_login = None
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
    return member
