from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cluetrain.notifications"
    label = "notifications"
