from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "cluetrain.exports"
    label = "exports"
