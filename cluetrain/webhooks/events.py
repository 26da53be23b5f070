"""Events that webhooks carry. The `on_*` handlers follow the domain events (subscribed in
WebhooksConfig.ready(), after commit) and queue one delivery per subscribed endpoint; the
payload is built then, from the committed rows.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cluetrain.core.links import absolute_url
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.ideas.events import IdeaStatusChanged
from cluetrain.ideas.models import IdeaStatusChange
from cluetrain.influence.events import AlertRaised
from cluetrain.influence.models import Alert
from cluetrain.intents import webhooks as intents_webhooks
from cluetrain.intents.events import IntentPosted, OfferMade
from cluetrain.members.events import MemberJoined
from cluetrain.members.models import Member
from cluetrain.moderation.events import ContributionHeld
from cluetrain.moderation.models import Screening
from cluetrain.relationships.events import RelationshipChanged
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.reviews.events import ReviewPosted
from cluetrain.reviews.models import Review
from cluetrain.threads.events import PostCreated
from cluetrain.threads.models import Post
from cluetrain.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from cluetrain.webhooks.tasks import deliver_webhook

Payload = dict[str, Any]
PING = "ping"


def _member(member: Member | None) -> Payload | None:
    if member is None:
        return None
    return {
        "id": member.pk,
        "username": member.username,
        "name": member.name,
        "role": member.role,
        "url": absolute_url("profile", member.username),
    }


def post_data(post_id: int) -> Payload | None:
    post = (
        Post.objects.select_related("thread__space", "author", "source").filter(pk=post_id).first()
    )
    if post is None:
        return None
    thread = post.thread
    return {
        "post": {
            "id": post.pk,
            "thread": {"id": thread.pk, "title": thread.title, "kind": thread.kind},
            "space": {"slug": thread.space.slug, "visibility": thread.space.visibility},
            "parent_id": post.parent_id,
            "author": _member(post.author),
            "source": post.source.slug,
            "body_md": post.body_md,
            "is_staff_reply": post.is_staff_reply,
            "created_at": post.created_at.isoformat(),
            "url": absolute_url("post_link", post.pk),
        }
    }


def review_data(review_id: int) -> Payload | None:
    review = (
        Review.objects.select_related("thread", "author", "product").filter(pk=review_id).first()
    )
    if review is None:
        return None
    first_post = review.thread.posts.order_by("created_at", "pk").first()
    return {
        "review": {
            "id": review.pk,
            "stars": review.stars,
            "title": review.thread.title,
            "body_md": first_post.body_md if first_post else "",
            "product": review.product.slug if review.product else None,
            "author": _member(review.author),
            "thread_id": review.thread_id,
            "created_at": review.created_at.isoformat(),
            "url": absolute_url("thread", review.thread_id),
        }
    }


def idea_status_data(change_id: int) -> Payload | None:
    change = (
        IdeaStatusChange.objects.select_related("idea__thread", "changed_by")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        return None
    idea = change.idea
    return {
        "idea": {
            "id": idea.pk,
            "title": idea.thread.title,
            "vote_count": idea.vote_count,
            "url": absolute_url("thread", idea.thread_id),
        },
        "change": {
            "id": change.pk,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "explanation": change.explanation,
            "changed_by": _member(change.changed_by),
            "created_at": change.created_at.isoformat(),
        },
    }


def member_data(member_id: int) -> Payload | None:
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return None
    # No e-mail address: receivers get what the public profile shows.
    return {"member": {**(_member(member) or {}), "joined_at": member.date_joined.isoformat()}}


def alert_data(alert_id: int) -> Payload | None:
    alert = (
        Alert.objects.select_related("cascade__thread", "cascade__root_post__author")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        return None
    cascade = alert.cascade
    return {
        "alert": {
            "id": alert.pk,
            "status": alert.status,
            "raised_at": alert.raised_at.isoformat(),
            "threshold": alert.threshold,
            "size": alert.size_at_raise,
            "forecast": round(alert.forecast_at_raise, 1),
            "forecast_method": cascade.forecast_method,
            "opening_sentiment": cascade.opening_sentiment,
            "thread": {"id": cascade.thread_id, "title": cascade.thread.title},
            "author": _member(cascade.root_post.author),
            "url": absolute_url("alert", alert.pk),
        }
    }


def held_data(screening_id: int) -> Payload | None:
    held = Screening.objects.select_related("author", "post").filter(pk=screening_id).first()
    if held is None:
        return None
    return {
        "contribution": {
            "id": held.pk,
            "kind": held.kind,
            "status": held.status,
            "author": _member(held.author),
            "post_id": held.post_id,
            "thread_id": held.post.thread_id if held.post else None,
            "text": held.text,
            "score": round(held.score, 4),
            "threshold": held.threshold,
            "reasons": held.reasons,
            "deception_probability": held.deception_probability,
            "created_at": held.created_at.isoformat(),
            "url": absolute_url("mod_held") + f"#held-{held.pk}",
        }
    }


def relationship_data(event_id: int) -> Payload | None:
    found = (
        RelationshipEvent.objects.select_related(
            "actor_member", "target_member", "target_organization", "target_product", "about_member"
        )
        .filter(pk=event_id)
        .first()
    )
    if found is None:
        return None
    target: Payload
    if found.target_member is not None:
        target = {"member": _member(found.target_member)}
    elif found.target_organization is not None:
        target = {"organization": {"slug": found.target_organization.slug}}
    else:
        assert found.target_product is not None
        target = {"product": {"slug": found.target_product.slug}}
    return {
        "relationship": {
            "id": found.pk,
            "kind": found.kind,
            "polarity": found.polarity,
            "weight": found.weight,
            "inferred": found.inferred,
            "evidence": found.evidence,
            "actor": _member(found.actor_member),
            "target": target,
            "about": _member(found.about_member),
            "post_id": found.post_id,
            "occurred_at": found.occurred_at.isoformat(),
        }
    }


BUILDERS: dict[str, Callable[[int], Payload | None]] = {
    Event.POST_CREATED: post_data,
    Event.REVIEW_CREATED: review_data,
    Event.IDEA_STATUS_CHANGED: idea_status_data,
    Event.MEMBER_JOINED: member_data,
    Event.ALERT_RAISED: alert_data,
    Event.RELATIONSHIP_CHANGED: relationship_data,
    Event.REQUEST_POSTED: intents_webhooks.request_data,
    Event.OFFER_MADE: intents_webhooks.offer_data,
    Event.CONTRIBUTION_HELD: held_data,
}


def envelope(event: str, data: Payload) -> Payload:
    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def _queue(endpoints: list[WebhookEndpoint], event: str, payload: Payload) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                event_id=payload["id"],
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
            for endpoint in endpoints
        )
        for delivery in deliveries:
            enqueue_on_commit(deliver_webhook, delivery.pk)
    return [delivery.pk for delivery in deliveries]


def create_deliveries(event: str, object_id: int, *, data: Payload | None = None) -> list[int]:
    """One delivery per active endpoint subscribed to `event`; returns their ids.

    `data`, when given, is sent as it is (a withdrawn relationship no longer has a row).
    """
    # A handful of endpoints at most, and SQLite has no JSON "contains": filter here.
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    if not endpoints:
        return []
    if data is None:
        data = BUILDERS[event](object_id)
    if data is None:
        return []
    return _queue(endpoints, event, envelope(event, data))


def send_ping(endpoint: WebhookEndpoint) -> int:
    """A test delivery that staff trigger from the endpoint's page."""
    payload = envelope(PING, {"endpoint": {"id": endpoint.pk, "url": endpoint.url}})
    return _queue([endpoint], PING, payload)[0]


def _held(thread_id: int, post_id: int | None = None) -> bool:
    # Held for moderation: sent (once, as created) only when a moderator approves it.
    if post_id is not None:
        return Post.objects.filter(pk=post_id, is_held=True).exists()
    return Post.objects.filter(thread_id=thread_id, parent__isnull=True, is_held=True).exists()


def on_post_created(event: PostCreated) -> None:
    if not _held(event.thread_id, event.post_id):
        create_deliveries(Event.POST_CREATED, event.post_id)


def on_review_posted(event: ReviewPosted) -> None:
    if not _held(event.thread_id):
        create_deliveries(Event.REVIEW_CREATED, event.review_id)


def on_contribution_held(event: ContributionHeld) -> None:
    create_deliveries(Event.CONTRIBUTION_HELD, event.screening_id)


def on_idea_status_changed(event: IdeaStatusChanged) -> None:
    create_deliveries(Event.IDEA_STATUS_CHANGED, event.change_id)


def on_member_joined(event: MemberJoined) -> None:
    create_deliveries(Event.MEMBER_JOINED, event.member_id)


def on_alert_raised(event: AlertRaised) -> None:
    create_deliveries(Event.ALERT_RAISED, event.alert_id)


def on_relationship_changed(event: RelationshipChanged) -> None:
    # Withdrawn and removed events have no row left: their id, kind and the change are sent.
    data = relationship_data(event.event_id) or {
        "relationship": {"id": event.event_id, "kind": event.kind}
    }
    data["relationship"]["change"] = event.change
    create_deliveries(Event.RELATIONSHIP_CHANGED, event.event_id, data=data)


def on_intent_posted(event: IntentPosted) -> None:
    create_deliveries(Event.REQUEST_POSTED, event.intent_id)


def on_offer_made(event: OfferMade) -> None:
    create_deliveries(Event.OFFER_MADE, event.offer_id)
