from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "cluetrain.members"
    label = "members"
