from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "cluetrain.members"
    label = "members"

    def ready(self) -> None:
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.members.actions import on_member_deleted
        from cluetrain.members.events import MemberDeleted

        subscribe(MemberDeleted, on_member_deleted, phase=Phase.IN_TRANSACTION)
