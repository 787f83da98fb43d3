"""The project's URLs plus views that meet an unreachable database, for the 503 tests."""

from django.db import connections
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def db_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def no_such_table(request: HttpRequest) -> HttpResponse:
    raise OperationalError("no such table: courses_course")


def closed_port(request: HttpRequest) -> HttpResponse:
    """A real connection attempt to a port where nothing listens (the test puts the alias in place)."""
    with connections["unreachable"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("reached")


for view in (db_gone, no_such_table, closed_port):
    view.login_required = False  # type: ignore[attr-defined]

handler500 = "shikhon.core.views.server_error"  # as config.urls says (checked by a test)
urlpatterns = [
    path("db-gone/", db_gone),
    path("no-such-table/", no_such_table),
    path("closed-port/", closed_port),
    path("", include("config.urls")),
]
