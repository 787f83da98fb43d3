"""Certificates: a person's list, one certificate, its PDF, revoking; and the public verification
pages, which answer an unknown or malformed code with one and the same page (no existence hints).
No GET writes: revoking is a POST, a missing PDF is stored by a task."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shikhon.certificates import permissions, selectors, services
from shikhon.certificates.codes import format_code, normalize_code
from shikhon.certificates.forms import RevokeForm
from shikhon.certificates.models import Certificate
from shikhon.core import ratelimit
from shikhon.core.forms import add_service_errors
from shikhon.core.middleware import client_ip
from shikhon.people.requests import signed_in_user

PAGE_SIZE = 25
VERIFY_WINDOW_SECONDS = 60


def _visible(request: HttpRequest, pk: int) -> Certificate:
    return selectors.access_certificate(signed_in_user(request), pk)


def certificate_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    sees_others = permissions.sees_others(user)
    query = " ".join(request.GET.get("q", "").split())[:selectors.SEARCH_MAX] if sees_others else ""
    certificates = (selectors.certificates_for(user, query=query) if sees_others
                    else selectors.certificates_of(user))
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/list.html", {
        "page": page, "sees_others": sees_others, "query": query,
        "query_string": urlencode({"q": query}) if query else "",
    })


def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    certificate = _visible(request, pk)
    return render(request, "certificates/detail.html", {
        "certificate": certificate,
        "code": format_code(certificate.code),
        "verify_url": services.public_url(certificate.get_verify_url()),
        "can_revoke": permissions.can_revoke(user, certificate),
        "is_holder": certificate.user_id == user.pk,
        "eligibility": services.eligibility_text(certificate),
        "logo": services.logo_url(),
    })


@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF as a download. Writes nothing: a certificate without a stored PDF is rendered for this answer,
    and the task queued at issue (or by the daily sweep) stores it."""
    certificate = _visible(request, pk)
    response = FileResponse(io.BytesIO(services.certificate_pdf_read(certificate)), as_attachment=True,
                            filename=f"shikhon-certificate-{certificate.code}.pdf", content_type="application/pdf")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    certificate = _visible(request, pk)
    if not permissions.can_revoke(user, certificate):
        raise PermissionDenied
    form = RevokeForm(request.POST or None)
    if certificate.is_revoked:
        messages.info(request, _("This certificate was already revoked."))
        return redirect(certificate)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(actor=user, certificate=certificate,
                                        reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The certificate was revoked. The teacher has been told why."))
            return redirect(certificate)
    return render(request, "certificates/revoke.html", {
        "certificate": certificate, "code": format_code(certificate.code), "form": form,
    })


@login_not_required
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a code (GET, works without JavaScript); a code of the right shape goes to its page."""
    raw = request.GET.get("code")
    error = ""
    if raw is not None:
        code = normalize_code(raw)
        if code is not None:
            return redirect("certificates:verify", code=code)
        error = _("A certificate code has 16 letters and digits, like ABCD-2345-EFGH-6789. "
                  "Check the code and type it again.")
    return render(request, "certificates/verify_form.html", {"error": error, "typed": (raw or "")[:64]})


@login_not_required
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this certificate genuine? Valid or revoked; any other code answers 404 with one page that
    says no certificate has it and offers the form again."""
    if not ratelimit.hit(key=f"verify:{client_ip(request) or 'unknown'}",
                         limit=settings.SHIKHON_VERIFY_PER_MINUTE, window_seconds=VERIFY_WINDOW_SECONDS):
        response = render(request, "certificates/verify_limited.html", status=429)
        response["Retry-After"] = str(VERIFY_WINDOW_SECONDS)
        return response
    normalized = normalize_code(code)
    facts = selectors.certificate_by_code(normalized) if normalized is not None else None
    if facts is None:
        # One page for a code never issued and for one that cannot be a code: no hint of what exists.
        return render(request, "certificates/verify_unknown.html", {"typed": code[:64]}, status=404)
    return render(request, "certificates/verify.html", {
        "facts": facts, "code": format_code(facts["code"]), "logo": services.logo_url(),
        "is_training": facts["kind"] == "training", "is_practice": facts["kind"] == "practice",
    })
