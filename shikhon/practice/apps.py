from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "shikhon.practice"
    label = "practice"
    verbose_name = "Supported practice"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15): notification kinds, audit
        # actions, periodic jobs (core.schedule) and the offline sync kinds of each part.
        from shikhon.practice import (
            audit_actions,
            notifications,
            periodic_jobs,
            periodic_nudges,
            sync_checks,
            sync_circles,
            sync_log,
            sync_observations,
        )

        for module in (audit_actions, notifications, periodic_jobs, periodic_nudges, sync_log, sync_circles,
                       sync_observations, sync_checks):
            module.register()
