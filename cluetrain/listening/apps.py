from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "cluetrain.listening"
    label = "listening"
