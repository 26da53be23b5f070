from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "cluetrain.spaces"
    label = "spaces"
