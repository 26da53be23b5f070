from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "cluetrain.topics"
    label = "topics"
