from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "cluetrain_lab"
    label = "lab"
    verbose_name = "Cluetrain lab (evaluations and benchmarks)"
