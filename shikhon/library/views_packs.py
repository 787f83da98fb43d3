"""Pages of the packs part: the list of ready packs (and, for officers, the form to ask for one and their packs
being built), a pack's status page (a progress bar that refreshes itself without JavaScript while the pack is built)
and the download of a ready pack's zip. Thin: parse, call a selector or service, render. Visitors get 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from shikhon.core.forms import add_service_errors
from shikhon.core.serving import stored_file_response
from shikhon.library.forms_packs import PackForm
from shikhon.library.models import OfflinePack
from shikhon.library.permissions import can_build_packs
from shikhon.library.selectors import packs as selectors
from shikhon.library.selectors.access import access_pack
from shikhon.library.services import packs as services
from shikhon.people.requests import signed_in_user

PAGE_SIZE = 20
REFRESH_SECONDS = 5


@require_http_methods(["GET", "POST"])
def pack_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    may_build = can_build_packs(user)
    form = None
    if may_build:
        form = PackForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                pack = services.pack_request(actor=user, title=data["title"], grade=data["grade"],
                                             subject=data["subject"], model_only=data["model_only"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(pack.get_absolute_url())
    elif request.method == "POST":
        services.pack_request(actor=user, title="")  # refuses (403): only officers build packs
    page = Paginator(selectors.ready_packs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/packs/list.html", {
        "page": page, "form": form, "mine": selectors.my_unfinished_packs(user),
    })


@require_GET
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = access_pack(signed_in_user(request), pk)
    building = pack.status in (OfflinePack.Status.QUEUED, OfflinePack.Status.BUILDING)
    response = render(request, "library/packs/detail.html", {
        "pack": pack, "building": building, "refresh": REFRESH_SECONDS,
    })
    if building:
        response["Cache-Control"] = "no-store"
    return response


@login_not_required  # a visitor gets 404 (access_pack), as for a pack that does not exist, not the sign-in page
@require_GET
def pack_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    pack = access_pack(request.user, pk)
    if pack.status != OfflinePack.Status.READY or not pack.file:
        raise Http404
    return stored_file_response(pack.file.name or "", download_name=f"shikhon-pack-{pack.pk}", attachment=True)
