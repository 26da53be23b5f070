from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cluetrain.search"
    label = "search"

    def ready(self) -> None:
        # Inside the publishing transaction: a row and its search entry commit together.
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.members.events import MemberDeleted, MemberJoined, ProfileEdited
        from cluetrain.moderation.events import PostHiddenChanged, ThreadHiddenChanged, ThreadMoved
        from cluetrain.search import indexing
        from cluetrain.threads.events import PostCreated, PostDeleted, PostEdited

        now = Phase.IN_TRANSACTION
        subscribe(PostCreated, indexing.on_post_changed, phase=now)
        subscribe(PostEdited, indexing.on_post_changed, phase=now)
        subscribe(PostHiddenChanged, indexing.on_post_changed, phase=now)
        subscribe(PostDeleted, indexing.on_post_deleted, phase=now)
        subscribe(ThreadHiddenChanged, indexing.on_thread_changed, phase=now)
        subscribe(ThreadMoved, indexing.on_thread_changed, phase=now)
        subscribe(MemberJoined, indexing.on_member_changed, phase=now)
        subscribe(ProfileEdited, indexing.on_member_changed, phase=now)
        subscribe(MemberDeleted, indexing.on_member_deleted, phase=now)
