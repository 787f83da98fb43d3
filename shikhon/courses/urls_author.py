from django.urls import URLPattern, URLResolver

app_name = "author"
urlpatterns: list[URLPattern | URLResolver] = []
