"""Course export (download one zip) and import (upload it on another server): pages for course authors."""

from __future__ import annotations

import tempfile

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shikhon.courses import portability, selectors
from shikhon.courses.permissions import can_author
from shikhon.people.requests import signed_in_user


class ImportForm(forms.Form):
    package = forms.FileField(label=gettext_lazy("Course package (.zip)"),
                              help_text=gettext_lazy("A .zip file exported from a Shikhon server."),
                              widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}))


@require_GET
def course_export_download(request: HttpRequest, pk: int) -> FileResponse:
    course = selectors.access_course_for_authoring(signed_in_user(request), pk)
    # Written to a temporary file, not memory: a course with its videos can be hundreds of megabytes.
    out = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes (and so deletes) it
    try:
        portability.course_export_to(actor=signed_in_user(request), course=course, out=out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=portability.export_file_name(course),
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def course_import_page(request: HttpRequest) -> HttpResponse:
    if not can_author(signed_in_user(request)):
        raise Http404  # like every other authoring page: hidden is the same as missing
    form = ImportForm(request.POST or None, request.FILES or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        if upload.size > portability.max_import_bytes():
            refusal = _("The package is larger than %(size)s MB, the limit on this server.") % {
                "size": portability.max_import_bytes() // (1024 * 1024)}
        else:
            try:
                result = portability.course_import_detailed(actor=signed_in_user(request), data=upload.file)
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
            else:
                return render(request, "courses/transfer/imported.html", {"result": result, "course": result.course})
    status = 400 if refusal or form.errors else 200
    return render(request, "courses/transfer/import.html", {"form": form, "refusal": refusal}, status=status)
