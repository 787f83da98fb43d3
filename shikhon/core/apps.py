from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shikhon.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from shikhon.core import checks, clock  # noqa: F401 - register the system checks
        from shikhon.core.ratelimit import create_cache_tables

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="shikhon.core.create_cache_tables")
