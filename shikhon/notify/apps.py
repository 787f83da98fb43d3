from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "shikhon.notify"
    label = "notify"
    verbose_name = "Notifications"
