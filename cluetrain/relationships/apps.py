from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "cluetrain.relationships"
    label = "relationships"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.listening.events import MessagesRead
        from cluetrain.members.events import ConnectionAnswered, ConnectionEnded, ConnectionMade
        from cluetrain.moderation.events import PostHiddenChanged
        from cluetrain.relationships import inference
        from cluetrain.reviews.events import ReviewPosted
        from cluetrain.threads.events import (
            AnswerAccepted,
            PostCreated,
            PostDeleted,
            ReactionToggled,
        )

        subscribe(PostCreated, inference.on_post_created)
        subscribe(PostDeleted, inference.on_post_gone)
        subscribe(PostHiddenChanged, inference.on_post_gone)
        subscribe(AnswerAccepted, inference.on_answer_accepted)
        subscribe(ReviewPosted, inference.on_review_posted)
        subscribe(ConnectionMade, inference.on_connection)
        subscribe(ConnectionAnswered, inference.on_connection)
        subscribe(ConnectionEnded, inference.on_connection_ended)
        subscribe(ReactionToggled, inference.on_reaction)
        subscribe(MessagesRead, inference.on_messages_read)
