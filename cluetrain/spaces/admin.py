from django.contrib import admin

from cluetrain.spaces.models import Space, SpaceFollow


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin[Space]):
    list_display = ["name", "slug", "kind", "visibility", "product", "position"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SpaceFollow)
class SpaceFollowAdmin(admin.ModelAdmin[SpaceFollow]):
    list_display = ["member", "space", "created_at"]
    raw_id_fields = ["member", "space"]
