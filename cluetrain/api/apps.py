from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cluetrain.api"
    label = "api"
