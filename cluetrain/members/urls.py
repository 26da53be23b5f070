from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("signup/", not_built_yet, name="signup"),
    path("people/", not_built_yet, name="people"),
    path("people/<str:username>/", not_built_yet, name="profile"),
    path("people/<str:username>/follow/", not_built_yet, name="follow"),
    path("people/<str:username>/unfollow/", not_built_yet, name="unfollow"),
    path("people/<str:username>/connect/", not_built_yet, name="connect"),
    path("connections/", not_built_yet, name="connections"),
    path("connections/<int:connection_id>/respond/", not_built_yet, name="connection_respond"),
    path("settings/profile/", not_built_yet, name="profile_edit"),
]
