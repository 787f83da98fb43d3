from django.urls import URLPattern, URLResolver, path

from shikhon.offline import views

app_name = "offline"
urlpatterns: list[URLPattern | URLResolver] = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("offline/", views.offline_page, name="page"),
    path("offline/modules/<int:pk>/save/", views.module_save, name="module_save"),
    path("offline/contents/<int:pk>/save/", views.content_save, name="content_save"),
    path("sync/", views.sync, name="sync"),
]
