from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "shikhon.demo"
    label = "demo"
