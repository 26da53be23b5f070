from django.apps import AppConfig


class JamsConfig(AppConfig):
    name = "cluetrain.jams"
    label = "jams"
