from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("notifications/", not_built_yet, name="notifications"),
    path("notifications/read/", not_built_yet, name="notifications_read"),
]
