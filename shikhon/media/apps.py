from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "shikhon.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        from shikhon.media import receivers  # noqa: F401 - connects to the reaper's task_given_up
