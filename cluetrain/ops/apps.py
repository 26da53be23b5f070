from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "cluetrain.ops"
    label = "ops"
    verbose_name = "Operations"
