from django.urls import URLPattern, URLResolver, path

from shikhon.courses import views_transfer

app_name = "transfer"
urlpatterns: list[URLPattern | URLResolver] = [
    path("transfer/<int:pk>/export/", views_transfer.course_export_download, name="export"),
    path("transfer/import/", views_transfer.course_import_page, name="import"),
]
