from django.urls import path

from cluetrain.orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/board/", views.board, name="board"),
    path("orders/resolutions/", views.resolutions, name="resolutions"),
    path("orders/<int:order_id>/", views.order, name="order"),
    path("orders/<int:order_id>/<str:step>/", views.act, name="act"),
]
