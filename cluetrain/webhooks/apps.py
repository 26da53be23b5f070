from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cluetrain.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.ideas.events import IdeaStatusChanged
        from cluetrain.influence.events import AlertRaised
        from cluetrain.members.events import MemberJoined
        from cluetrain.relationships.events import RelationshipChanged
        from cluetrain.reviews.events import ReviewPosted
        from cluetrain.threads.events import PostCreated
        from cluetrain.webhooks import events

        subscribe(PostCreated, events.on_post_created)
        subscribe(ReviewPosted, events.on_review_posted)
        subscribe(IdeaStatusChanged, events.on_idea_status_changed)
        subscribe(MemberJoined, events.on_member_joined)
        subscribe(AlertRaised, events.on_alert_raised)
        subscribe(RelationshipChanged, events.on_relationship_changed)
