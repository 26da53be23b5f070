from django.contrib import admin

from cluetrain.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "member", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "member__username", "prefix"]
    # The hash is useless to read and must not be edited; tokens are made by their owners.
    readonly_fields = ["member", "token_hash", "prefix", "created_at", "last_used_at"]
