from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "cluetrain.orders"
    label = "orders"

    def ready(self) -> None:
        from cluetrain.core.events import subscribe
        from cluetrain.orders.events import OrderRated
        from cluetrain.orders.ratings import order_ratings
        from cluetrain.reputation.signals import register_source
        from cluetrain.reputation.tasks import on_rating_changed

        # A customer's rating of the retailer that shipped their order is a reputation rating.
        register_source(order_ratings)
        subscribe(OrderRated, on_rating_changed)
