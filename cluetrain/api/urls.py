from django.urls import path

from cluetrain.api import views

# The API itself is assembled in cluetrain.api_root; these are the token pages.
urlpatterns = [
    path("settings/tokens/", views.tokens, name="api_tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
