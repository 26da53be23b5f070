from django.contrib import admin

from cluetrain.moderation.models import Flag, ModerationAction


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin[Flag]):
    list_display = ["post", "reporter", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin[ModerationAction]):
    """The audit log is append-only: readable here, never edited."""

    list_display = ["created_at", "actor", "action", "thread", "post", "reason"]
    list_filter = ["action"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
