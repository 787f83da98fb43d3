from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "shikhon.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.people import audit_actions, notifications

        audit_actions.register()
        notifications.register()
