from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "cluetrain.ideas"
    label = "ideas"
