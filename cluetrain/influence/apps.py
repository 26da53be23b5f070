from django.apps import AppConfig


class InfluenceConfig(AppConfig):
    name = "cluetrain.influence"
    label = "influence"
