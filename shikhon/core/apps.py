from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shikhon.core"
    label = "core"
    verbose_name = "Core"
