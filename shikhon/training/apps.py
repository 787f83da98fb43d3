from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "shikhon.training"
    label = "training"
    verbose_name = "Face-to-face training"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.training import audit_actions, notifications

        audit_actions.register()
        notifications.register()
