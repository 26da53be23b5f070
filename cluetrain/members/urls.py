from django.urls import path

from cluetrain.members import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("people/", views.people, name="people"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("people/<str:username>/follow/", views.follow, name="follow"),
    path("people/<str:username>/unfollow/", views.unfollow, name="unfollow"),
    path("people/<str:username>/connect/", views.connect, name="connect"),
    path("people/<str:username>/disconnect/", views.disconnect, name="disconnect"),
    path("connections/", views.connections, name="connections"),
    path(
        "connections/<int:connection_id>/respond/",
        views.connection_respond,
        name="connection_respond",
    ),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/avatar/", views.avatar_edit, name="avatar_edit"),
    path("media/avatars/<str:name>", views.avatar_file, name="avatar_file"),
]
