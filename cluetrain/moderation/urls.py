from django.urls import path

from cluetrain.moderation import views

urlpatterns = [
    path("moderation/", views.mod_queue, name="mod_queue"),
    path("moderation/log/", views.mod_log, name="mod_log"),
    path("moderation/held/", views.held_queue, name="mod_held"),
    path("moderation/held/<int:screening_id>/", views.held_decide, name="mod_held_decide"),
    path("moderation/held/retrain/", views.held_retrain, name="mod_held_retrain"),
    path("p/<int:post_id>/flag/", views.flag_post, name="flag_post"),
    path("p/<int:post_id>/moderate/", views.mod_post, name="mod_post"),
    path("t/<int:thread_id>/moderate/", views.mod_thread, name="mod_thread"),
    path("flags/<int:flag_id>/resolve/", views.flag_resolve, name="flag_resolve"),
]
