"""Offline use: the web app manifest, the service worker, the offline page, saving a module (a POST that
answers its pack list) and the sync endpoint for the outbox. Views are thin; the work is in selectors.py,
packs.py and services.py. No GET writes."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shikhon.library.selectors import access as library_access
from shikhon.library.selectors import packs as library_packs
from shikhon.offline import packs, selectors, services
from shikhon.people.models import User

# Bump when sw.js changes in a way the hashed file names do not show.
SW_REVISION = "2"  # 2: the outbox is IndexedDB version 2 (items carry seq)
THEME_COLOUR = "#0b6e4f"  # --brand in site.css
BACKGROUND_COLOUR = "#fafaf7"  # --bg in site.css


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": "শিখন · Shikhon",
        "short_name": "শিখন",
        "description": "শিক্ষকদের শেখার জায়গা — Learning together, for every teacher of Bangladesh.",
        "lang": "bn",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    precache = selectors.shell_urls()
    version = hashlib.sha256((SW_REVISION + "\0" + "\0".join(precache)).encode()).hexdigest()[:12]
    response = render(request, "offline/sw.js", {
        "version": version,
        "precache": json.dumps(precache),
        "offline_url": json.dumps(reverse("offline:page")),
    }, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "offline/offline.html")


@require_POST
def module_save(request: HttpRequest, pk: int) -> JsonResponse:
    """POST (the "Download for offline" button, CSRF token in X-CSRFToken): start or keep her open quiz
    attempt of the module and answer the list of addresses to cache. A module she cannot see is 404, as if
    it did not exist; one of a course she has not enrolled in is 403 with what to do, and nothing is stored."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - LoginRequiredMiddleware guards this view
    try:
        module = selectors.access_module(user, pk)
    except Http404:
        return _error(_("This module was not found."), 404)
    if not selectors.is_enrolled(user=user, module=module):
        return _error(_("Enrol in this course first; then you can save its modules on your phone."), 403)
    locked = selectors.locked_reason(user=user, module=module)
    if locked:  # a locked module offers no download: nothing is started or stored
        return _error(locked, 403)
    response = JsonResponse(packs.module_save(actor=user, module=module), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def content_save(request: HttpRequest, pk: int) -> JsonResponse:
    """POST ("Save to phone" on a library content, CSRF token in X-CSRFToken): the addresses to cache for a
    published content — its page, its previews, its files up to the size limit (larger ones listed in `skipped`
    with a sentence). Writes nothing. A content she cannot see, or one not published (a draft, even her own), is
    404: only what everyone may read is kept on a phone."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - LoginRequiredMiddleware guards this view
    try:
        content = library_access.access_content(user, pk)
    except Http404:
        return _error(_("This content was not found."), 404)
    if not content.is_published:
        return _error(_("This content was not found."), 404)
    found = library_packs.content_save_urls(content)
    limit = library_packs.SAVE_MAX_BYTES // 1024**2
    skipped = [{"url": s["url"], "reason": _("“%(name)s” is larger than %(size)s MB and is not saved; download it "
                                             "when you have internet.") % {"name": s["name"], "size": limit}}
               for s in found["skipped"]]
    response = JsonResponse({
        "module": f"content-{content.pk}",  # the key offline.js keeps saved items under (shared with modules)
        "title": content.title,
        "url": found["page"],
        "urls": list(dict.fromkeys([*found["urls"], *selectors.shell_urls()])),
        "media_bytes": found["media_bytes"],
        "skipped": skipped,
    }, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def sync(request: HttpRequest) -> JsonResponse:
    """POST {"items": [{id, kind, payload, made_at}]} → {"results": [{id, status, message, url}]}, one
    result per item, in order. Session sign-in and the CSRF token (X-CSRFToken header) are required, as for
    any form. A body that is not a batch answers 400, a bad item is rejected on its own; never a 500."""
    if request.method != "POST":
        return _error(_("Send the outbox with POST."), 405)
    if not request.user.is_authenticated:
        return _error(_("Please sign in again; your saved work is kept on this phone until then."), 401)
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > services.MAX_BODY_BYTES:
        return _error(_("The outbox is too large to send at once. Send fewer items at a time."), 413)
    body = request.body
    if len(body) > services.MAX_BODY_BYTES:
        return _error(_("The outbox is too large to send at once. Send fewer items at a time."), 413)
    try:
        items = services.sync_batch_parse(body)
    except services.BadBatch as bad:
        return _error(str(bad), 400)
    results = services.sync_batch_apply(actor=user, items=items)
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
