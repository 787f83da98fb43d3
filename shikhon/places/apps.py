from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "shikhon.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.places import audit_actions

        audit_actions.register()
