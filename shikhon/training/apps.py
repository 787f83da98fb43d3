from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "shikhon.training"
    label = "training"
    verbose_name = "Face-to-face training"
