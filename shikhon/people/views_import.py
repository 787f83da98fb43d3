"""The school-list upload page for national admins (the import itself lives in places.importing)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shikhon.core.bangla import format_number
from shikhon.people.permissions import can_import_schools
from shikhon.people.requests import signed_in_user
from shikhon.people.services import schools_import
from shikhon.places.importing import ImportReport

SHOWN_ROWS = 200  # the page lists at most this many bad (or changed) rows and counts the rest
# Room for the form fields and multipart boundaries around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("School list (CSV or Excel .xlsx)"),
        help_text=gettext_lazy("One row per school, with a header row naming the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Only check the file; store nothing yet"), required=False,
        help_text=gettext_lazy("Shows what would change. Nothing is stored if any row has a problem, either way."),
    )


def _too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.SHIKHON_IMPORT_MAX_BYTES + FORM_OVERHEAD_BYTES


def import_schools(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_import_schools(user):
        raise Http404
    report: ImportReport | None = None
    refusal = ""
    if request.method == "POST" and _too_big(request):
        # Refuse before Django reads the upload.
        form = SchoolImportForm()
        refusal = _("The file is larger than %(limit)s MB. Split the list into smaller files and import them one "
                    "after another.") % {"limit": format_number(max(1, settings.SHIKHON_IMPORT_MAX_BYTES // 2**20))}
    elif request.method == "POST":
        form = SchoolImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = schools_import(actor=user, rows_source=upload,
                                        file_name=upload.name or "", dry_run=form.cleaned_data["check_only"])
            except PermissionDenied as exc:  # lost the role since the page opened
                raise Http404 from exc
            if report.stored:
                messages.success(request, _("The school list was imported. Schools added: %(created)s. "
                                            "Changed: %(updated)s.") % {"created": format_number(report.created),
                                                           "updated": format_number(report.updated)})
    else:
        form = SchoolImportForm()
    context: dict[str, object] = {"form": form, "report": report, "refusal": refusal}
    if report is not None:
        context.update({
            "problems": report.problems[:SHOWN_ROWS],
            "more_problems": max(0, len(report.problems) - SHOWN_ROWS),
            "changes": report.changes[:SHOWN_ROWS],
            "more_changes": max(0, len(report.changes) - SHOWN_ROWS),
        })
    return render(request, "people/import_schools.html", context)
