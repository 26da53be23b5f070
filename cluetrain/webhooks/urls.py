from django.urls import path

from cluetrain.webhooks import views

urlpatterns = [
    path("staff/webhooks/", views.endpoint_list, name="webhooks"),
    path("staff/webhooks/new/", views.endpoint_new, name="webhook_new"),
    path("staff/webhooks/<int:endpoint_id>/", views.endpoint_detail, name="webhook_detail"),
    path("staff/webhooks/<int:endpoint_id>/ping/", views.endpoint_ping, name="webhook_ping"),
    path(
        "staff/webhooks/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="webhook_redeliver",
    ),
]
