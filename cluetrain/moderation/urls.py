from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("moderation/", not_built_yet, name="mod_queue"),
    path("moderation/log/", not_built_yet, name="mod_log"),
    path("p/<int:post_id>/flag/", not_built_yet, name="flag_post"),
    path("p/<int:post_id>/moderate/", not_built_yet, name="mod_post"),
    path("t/<int:thread_id>/moderate/", not_built_yet, name="mod_thread"),
    path("flags/<int:flag_id>/resolve/", not_built_yet, name="flag_resolve"),
]
