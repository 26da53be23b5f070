from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "cluetrain.relationships"
    label = "relationships"
