from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "shikhon.recognition"
    label = "recognition"
    verbose_name = "Recognition"
