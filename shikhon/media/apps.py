from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "shikhon.media"
    label = "media"
    verbose_name = "Media"
