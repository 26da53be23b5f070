from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "cluetrain.expertise"
    label = "expertise"
