from django.urls import path

from cluetrain.ops import views

urlpatterns = [
    path("staff/queue/", views.queue_health_page, name="queue_health"),
]
