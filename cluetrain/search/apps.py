from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cluetrain.search"
    label = "search"
