from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "shikhon.insights"
    label = "insights"
