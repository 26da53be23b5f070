from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "cluetrain.sources"
    label = "sources"
