from django.contrib import admin
from django.http import HttpRequest

from cluetrain.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "member", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "member__username", "prefix"]
    # The hash is useless to read and must not be edited; tokens are made by their owners.
    readonly_fields = ["member", "token_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Its form could not name a member (read-only above): saving one was a server error.
        return False
