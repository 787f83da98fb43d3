import os

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from shikhon.api.api import api

# While the database is unreachable every error answers 503 with Retry-After (shikhon.core.middleware).
handler500 = "shikhon.core.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("shikhon.insights.urls")),
    path("", include("shikhon.core.urls")),
    path("", include("shikhon.people.urls")),
    path("places/", include("shikhon.places.urls")),
    path("notifications/", include("shikhon.notify.urls")),
    path("", include("shikhon.media.urls")),
    path("", include("shikhon.courses.urls")),
    path("author/", include("shikhon.courses.urls_author")),
    path("author/", include("shikhon.courses.urls_transfer")),
    path("", include("shikhon.certificates.urls")),
    path("training/", include("shikhon.training.urls")),
    path("practice/", include("shikhon.practice.urls")),
    path("library/", include("shikhon.library.urls")),
    path("champions/", include("shikhon.recognition.urls")),
    path("", include("shikhon.training.urls_learning")),
    path("", include("shikhon.offline.urls")),
    path("api/v1/", api.urls),
]

if settings.SHIKHON_ADMIN_ENABLED:
    # Django's admin only where it is switched on; its sign-in is limited like the officers' password
    # sign-in (shikhon.people.admin.LimitedAdminAuthenticationForm).
    urlpatterns.append(path("django-admin/", admin.site.urls))

# No /media/ mount, not even with DEBUG: every uploaded file is served by the view of the object that owns
# it, after that object's visibility check (decision 0007), the same in development, the demo and on S3.

if os.environ.get("SHIKHON_BENCH") == "1":
    # `make bench` only: the framework's floor, a tiny view behind the full middleware stack.
    from shikhon.demo.views import bench_floor

    urlpatterns.append(path("bench/floor/", bench_floor, name="bench_floor"))
