from django.contrib import admin

from cluetrain.sources.models import ExternalIdentity, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ("name", "slug", "kind", "url", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin[ExternalIdentity]):
    list_display = ("handle", "display_name", "source", "member", "is_brand_account")
    list_filter = ("source", "is_brand_account")
    search_fields = ("handle", "display_name", "external_id", "member__username")
    list_select_related = ("source", "member")
    raw_id_fields = ("member",)
