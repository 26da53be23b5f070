from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "cluetrain.orders"
    label = "orders"
