from ninja import NinjaAPI

api = NinjaAPI(title="Shikhon API", version="1", urls_namespace="api-1")
