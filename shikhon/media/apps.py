from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "shikhon.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.media import notifications

        notifications.register()
        from shikhon.media import receivers  # noqa: F401 - connects to the reaper's task_given_up
