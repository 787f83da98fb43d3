from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shikhon.api"
    label = "api"

    def ready(self) -> None:
        from shikhon.api.errors import outside_error_response
        from shikhon.core.middleware import register_error_responder

        # Errors outside an endpoint (500, or 503 while the database is away) answer in the API's JSON shape.
        register_error_responder("/api/", outside_error_response)
