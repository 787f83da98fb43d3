from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shikhon.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from shikhon.core import checks, clock  # noqa: F401 - register the system checks
