"""Pages of the files part: download a file, a preview picture, and the author's files page (add, remove) for her
content's draft version. Thin: parse, call a selector or service, render. Hidden rows answer 404
(`selectors.access`); an action refused on a row she may see answers 403. Videos are served by media's own view
(`media:file`), which asks this app's registered video scope."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shikhon.core.serving import stored_file_response
from shikhon.library import counters
from shikhon.library.forms_files import FileAddForm
from shikhon.library.page_files import file_entries
from shikhon.library.selectors.access import access_content, access_file
from shikhon.library.selectors.files import version_files
from shikhon.library.services import files as services
from shikhon.people.requests import signed_in_user


@login_not_required  # a published content's files are public (visitors included); anything else is 404
@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    file = access_file(request.user, pk)
    response = stored_file_response(file.file.name or "", download_name=Path(file.original_name).stem or "file",
                                    attachment=True)
    if request.method == "GET":  # a HEAD is not a download
        counters.count_download(file.version.content_id)
    return response


@login_not_required
@require_safe
def file_preview(request: HttpRequest, pk: int, page: int) -> HttpResponse | FileResponse:
    """One preview picture of a file (page 1 is the first), shown inside the page."""
    file = access_file(request.user, pk)
    pages = file.preview_pages if isinstance(file.preview_pages, list) else []
    if not 1 <= page <= len(pages) or not isinstance(pages[page - 1], str):
        raise Http404
    return stored_file_response(pages[page - 1], download_name=f"preview-{file.pk}-{page}", attachment=False)


@require_http_methods(["GET", "HEAD", "POST"])
def files_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Her content's files: the latest version's, with add and remove while it is a draft."""
    user = signed_in_user(request)
    content = access_content(user, pk)
    if content.author_id != user.pk:
        raise PermissionDenied
    may_change = services.may_change_files(user, content)
    form = FileAddForm()
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = FileAddForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.content_file_add(actor=user, content=content, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", " ".join(exc.messages))
                status = 400
            else:
                messages.success(request, _("The file was added. Its preview is being made."))
                return redirect(reverse("library:files", kwargs={"pk": content.pk}))
        else:
            status = 400
    files = list(version_files(content.latest_version))
    return render(request, "library/files/files_page.html", {
        "content": content, "version": content.latest_version, "form": form, "may_change": may_change,
        "files": file_entries(files), "room": services.MAX_FILES - len(files), "max_files": services.MAX_FILES,
    }, status=status)


@require_POST
def file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    file = access_file(user, pk)
    content_pk = file.version.content_id
    services.content_file_remove(actor=user, file=file)  # not hers, or not a draft: 403
    messages.success(request, _("The file was removed."))
    return redirect(reverse("library:files", kwargs={"pk": content_pk}))
