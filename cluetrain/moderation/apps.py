from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "cluetrain.moderation"
    label = "moderation"
