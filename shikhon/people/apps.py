from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "shikhon.people"
    label = "people"
    verbose_name = "People"
