from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from shikhon.core import health, layout
from shikhon.core.middleware import database_unavailable, database_unavailable_response, server_error_response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: while the database is unreachable, 503 with Retry-After (the error may come from any
    middleware, where DatabaseUnavailableMiddleware cannot see it); otherwise the 500 page, or the API's
    JSON error under /api/ (an error in a middleware never reaches the API's own handlers)."""
    if database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return server_error_response(request) or defaults.server_error(request)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (it refuses unsafe `next` URLs); open to signed-out visitors."""
    return django_set_language(request)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 {"status": "ok", "checks": {...}} when the database, the cache and the worker are well, else 503.

    `?scope=web` leaves out the worker: the load balancer's probe of a web server uses it, so a stopped
    worker does not take every web server out of service; monitoring uses the plain /healthz.
    """
    report = health.run_checks(include_worker=request.GET.get("scope") != "web")
    return JsonResponse(report.as_dict(), status=200 if report.ok else 503)


@dataclass(frozen=True)
class Specimen:
    slug: str  # also the template core/style/<slug>.html
    title: Promise
    note: Promise


SPECIMENS = (
    Specimen("type", _("Type"), _("System fonts (Noto Sans Bengali on Android), 16 px body text, tall lines.")),
    Specimen("buttons", _("Buttons"), _("One primary action per screen; secondary for the rest; danger for what "
                                        "cannot be undone. Every button is at least 44 px tall.")),
    Specimen("cards", _("Cards"), _("A card holds one thing; the accent card is the next step. Numbers link to "
                                    "the list behind them.")),
    Specimen("progress", _("Progress"), _("A <progress> element, named by its label, with the number beside it.")),
    Specimen("badges", _("Status badges"), _("A word, never a colour alone.")),
    Specimen("empty", _("Empty states"), _("Say why it is empty and offer the next action.")),
    Specimen("messages", _("Messages"), _("After an action: what happened, in one sentence.")),
    Specimen("lists", _("Lists"), _("Rows of links; long words wrap instead of widening the page.")),
    Specimen("forms", _("Forms"), _("A label above every field, help below it, errors in words.")),
    Specimen("icons", _("Icons"), _("Drawn inline by {% icon %} from templates/partials/layout/icons.svg; an icon "
                                    "always has a label.")),
)
_LOAD = re.compile(r"^{% load [^%]*%}")


@login_not_required
@require_safe
def style_guide(request: HttpRequest) -> HttpResponse:
    """/style/: the design system with its markup, for staff and national admins; 404 for everyone else."""
    if not layout.may_see_style_guide(request.user):
        raise Http404
    icons = list(layout.icon_drawings())
    specimens = []
    for specimen in SPECIMENS:
        name = f"core/style/{specimen.slug}.html"
        source = _LOAD.sub("", get_template(name).template.source).strip()  # type: ignore[attr-defined]
        specimens.append({"slug": specimen.slug, "title": specimen.title, "note": specimen.note, "source": source,
                          "html": SafeString(render_to_string(name, {"icons": icons}, request))})
    return render(request, "core/style.html", {"specimens": specimens})
