from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "shikhon.offline"
    label = "offline"
    verbose_name = "Offline and sync"
