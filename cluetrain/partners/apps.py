from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "cluetrain.partners"
    label = "partners"
