from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "cluetrain.threads"
    label = "threads"
