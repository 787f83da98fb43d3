from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from shikhon.api.api import api

urlpatterns = [
    path("", include("shikhon.insights.urls")),
    path("", include("shikhon.core.urls")),
    path("", include("shikhon.people.urls")),
    path("places/", include("shikhon.places.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
