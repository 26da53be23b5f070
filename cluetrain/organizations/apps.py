from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "cluetrain.organizations"
    label = "organizations"
