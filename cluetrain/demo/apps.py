from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cluetrain.demo"
    label = "demo"
