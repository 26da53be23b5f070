from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "cluetrain.bench"
    label = "bench"
