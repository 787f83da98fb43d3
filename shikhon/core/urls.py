from django.urls import path

from shikhon.core import views

app_name = "core"
urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("style/", views.style_guide, name="style"),
]
