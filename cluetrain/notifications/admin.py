from django.contrib import admin

from cluetrain.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("recipient", "kind", "text", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "text", "dedupe_key")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "actor", "thread", "post", "idea")
    date_hierarchy = "created_at"
