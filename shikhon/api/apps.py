from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shikhon.api"
    label = "api"
