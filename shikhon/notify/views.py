"""A person's notifications and her SMS choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shikhon.notify import selectors, services


def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notify/list.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about (only our own pages)."""
    notification = selectors.access_notification(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notify:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=request.user)
    return redirect("notify:list")


class SmsChoicesForm(forms.Form):
    def __init__(self, *args: Any, initial_choices: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in selectors.sms_kinds():  # every kind some app registered
            self.fields[kind.name] = forms.BooleanField(label=str(kind.label), required=False,
                                                        initial=initial_choices[kind.name])


def sms_settings(request: HttpRequest) -> HttpResponse:
    form = SmsChoicesForm(request.POST or None, initial_choices=selectors.sms_choices(request.user))
    if request.method == "POST" and form.is_valid():
        services.sms_preferences_set(actor=request.user, choices=dict(form.cleaned_data))
        messages.success(request, _("Your SMS choices were saved."))
        return redirect("notify:sms_settings")
    return render(request, "notify/sms_settings.html", {"form": form})
