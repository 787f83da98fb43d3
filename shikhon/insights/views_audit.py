"""The audit log, read-only, for national admins. Everyone else gets 404, as if it did not exist."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from shikhon.core import selectors as core_selectors
from shikhon.core.audit import audit_action_choices
from shikhon.people.requests import signed_in_user
from shikhon.people.scope import user_scope

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=lambda: [("", _("All actions")), *audit_action_choices()],  # the actions apps registered
        error_messages={"invalid_choice": _("Choose an action from the list, or “All actions”.")},
    )


@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    if not user_scope(signed_in_user(request)).is_national_admin:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    events = core_selectors.audit_events(action=action or None)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/audit.html", {
        "form": form,
        "page": page,
        "events": page.object_list,
        "query_string": urlencode({"action": action}) if action else "",
    })
