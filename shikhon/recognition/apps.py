from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "shikhon.recognition"
    label = "recognition"
    verbose_name = "Recognition"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.recognition import notifications, periodic_jobs

        for module in (notifications, periodic_jobs):
            module.register()
