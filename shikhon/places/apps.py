from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "shikhon.places"
    label = "places"
    verbose_name = "Places"
