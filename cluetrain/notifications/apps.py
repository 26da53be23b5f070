from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cluetrain.notifications"
    label = "notifications"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.ideas.events import IdeaStatusChanged
        from cluetrain.members.events import ConnectionAnswered, ConnectionMade
        from cluetrain.moderation.events import ContributionDecided
        from cluetrain.notifications import moderation, tasks
        from cluetrain.threads.events import PostCreated

        subscribe(PostCreated, tasks.on_post_created)
        subscribe(ConnectionMade, tasks.on_connection_made)
        subscribe(ConnectionAnswered, tasks.on_connection_answered)
        subscribe(IdeaStatusChanged, tasks.on_idea_status_changed)
        subscribe(ContributionDecided, moderation.on_contribution_decided)
