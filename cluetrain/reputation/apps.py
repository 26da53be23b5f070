from django.apps import AppConfig


class ReputationConfig(AppConfig):
    name = "cluetrain.reputation"
    label = "reputation"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.relationships.events import RelationshipChanged
        from cluetrain.reputation import tasks
        from cluetrain.reviews.events import ReviewPosted
        from cluetrain.threads.events import AnswerAccepted, ReactionToggled

        for event in (AnswerAccepted, ReactionToggled, ReviewPosted, RelationshipChanged):
            subscribe(event, tasks.on_rating_changed)

        from cluetrain.ideas.ranking import register_reliability
        from cluetrain.reputation.idea_weights import flagged_accounts_count_nothing

        register_reliability(flagged_accounts_count_nothing)
