from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "shikhon.practice"
    label = "practice"
    verbose_name = "Supported practice"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15). Each module is optional
        # while the app grows: a part registers itself once it exists.
        import importlib

        for name in ("audit_actions", "notifications", "periodic_jobs", "periodic_nudges", "sync_log", "sync_circles",
                     "sync_observations", "sync_checks"):
            try:
                module = importlib.import_module(f"shikhon.practice.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"shikhon.practice.{name}":
                    raise
                continue
            module.register()
