from django.contrib import admin

from cluetrain.relationships.models import RelationshipEvent


@admin.register(RelationshipEvent)
class RelationshipEventAdmin(admin.ModelAdmin[RelationshipEvent]):
    list_display = (
        "kind",
        "polarity",
        "weight",
        "actor_member",
        "actor_external",
        "target_member",
        "target_organization",
        "target_product",
        "occurred_at",
    )
    list_filter = ("kind", "polarity", "source")
    search_fields = ("actor_member__username", "target_member__username", "actor_external__handle")
    list_select_related = (
        "actor_member",
        "actor_external__source",
        "target_member",
        "target_organization",
        "target_product",
    )
    raw_id_fields = ("actor_member", "actor_external", "target_member", "post")
    date_hierarchy = "occurred_at"
