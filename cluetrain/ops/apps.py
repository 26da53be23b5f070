from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "cluetrain.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from cluetrain.ops import checks  # noqa: F401 - registers the deployment checks
