from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "cluetrain.imports"
    label = "imports"
