from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "cluetrain.moderation"
    label = "moderation"

    def ready(self) -> None:
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.members.events import ProfileEdited
        from cluetrain.moderation import screening
        from cluetrain.moderation.actions import log_delete_by_other, log_edit_by_other
        from cluetrain.reviews.events import ReviewPosted
        from cluetrain.threads.events import PostCreated, PostDeleted, PostEdited

        now = Phase.IN_TRANSACTION
        subscribe(PostEdited, log_edit_by_other, phase=now)
        subscribe(PostDeleted, log_delete_by_other, phase=now)
        # The spam filter holds a contribution in the transaction that writes it: it is never
        # visible, indexed or notified of in between.
        subscribe(PostCreated, screening.on_post_created, phase=now)
        subscribe(ReviewPosted, screening.on_review_posted, phase=now)
        subscribe(PostEdited, screening.on_post_edited, phase=now)
        subscribe(ProfileEdited, screening.on_profile_edited, phase=now)
