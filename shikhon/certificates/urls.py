from django.urls import URLPattern, URLResolver, path

from shikhon.certificates import views

app_name = "certificates"
urlpatterns: list[URLPattern | URLResolver] = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<int:pk>/", views.certificate_detail, name="detail"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
