"""A teacher's learning page (/learn/): her courses, certificates and face-to-face training in one place.
It lives in `training`, the highest app whose rows it shows (courses → certificates → training)."""

from django.urls import URLPattern, URLResolver, path

from shikhon.training import views_learning

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("learn/", views_learning.learning_home, name="home"),
]
