"""Pages of the feedback part: rate, comment, report and adapt (POSTs that work without JavaScript and lead back to
the content's page), the comments of a content and its published adaptations (public, like the content), and the
report form. Thin: parse, call a service or selector, render. A content a person may not see answers 404
(`access_content`); a refusal is a sentence on the page she comes back to; visitors are sent to sign in (the
middleware) before any write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shikhon.core.forms import add_service_errors
from shikhon.library import permissions
from shikhon.library.forms_feedback import CommentForm, RatingForm, ReportForm
from shikhon.library.selectors import feedback as selectors
from shikhon.library.selectors import lineage
from shikhon.library.selectors.access import access_content
from shikhon.library.services import adapt as adapt_services
from shikhon.library.services import feedback as services
from shikhon.people.requests import signed_in_user


def _back(content: Any, anchor: str = "feedback") -> HttpResponse:
    return redirect(f"{selectors.content_url(content)}#{anchor}")


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    """The service's sentence(s) as messages on the page she comes back to."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You cannot do this."))
        return
    for message in exc.messages:
        messages.error(request, message)


@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = access_content(user, pk)
    form = RatingForm(request.POST)
    form.is_valid()
    try:
        rating = services.rating_set(actor=user, content=content, stars=form.cleaned_data.get("stars"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Thank you. Your rating is saved: %(stars)s of 5.")
                         % {"stars": _star_digits(rating.stars)})
    return _back(content)


def _star_digits(stars: int) -> str:
    from shikhon.core.bangla import format_number

    return format_number(stars)


@require_POST
def rating_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = access_content(user, pk)
    try:
        removed = services.rating_remove(actor=user, content=content)
    except PermissionDenied as exc:
        _refused(request, exc)
    else:
        if removed:
            messages.success(request, _("Your rating is taken back."))
    return _back(content)


def _comments_page(request: HttpRequest, content: Any, form: CommentForm) -> HttpResponse:
    page = Paginator(selectors.visible_comments(content), selectors.COMMENTS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "library/feedback/comments.html", {
        "content": content, "page": page, "comments": page.object_list, "form": form,
        "content_url": selectors.content_url(content),
        "may_comment": permissions.can_take_part(request.user) and content.is_published,
    })


@login_not_required
@require_GET
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """Every visible comment of a content, newest first, twenty a page (the content's page shows the latest)."""
    content = access_content(request.user, pk)
    return _comments_page(request, content, CommentForm())


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = access_content(user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=user, content=content, body=form.cleaned_data.get("body") or "")
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            _refused(request, exc)
            return _back(content)
        else:
            messages.success(request, _("Your comment is posted."))
            return _back(content, "comments")
    # What she wrote stays in the box, with the sentence that says what to change.
    return _comments_page(request, content, form)


def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a problem with a content to the moderators of its area."""
    user = signed_in_user(request)
    content = access_content(user, pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(actor=user, content=content, reason=form.cleaned_data["reason"],
                                   note=form.cleaned_data.get("note") or "")
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. A moderator of this content's area will look at your report."))
            return _back(content)
    return render(request, "library/feedback/report.html", {
        "content": content, "form": form, "content_url": selectors.content_url(content),
        "may_report": permissions.can_take_part(user)})


@require_POST
def adapt(request: HttpRequest, pk: int) -> HttpResponse:
    """Make her adaptation of a model content (or open the one she has) and take her to edit it."""
    user = signed_in_user(request)
    content = access_content(user, pk)
    try:
        copy = adapt_services.content_adapt(actor=user, content=content)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return _back(content)
    messages.success(request, _("This is your copy of the model content. Change it for your class, then submit it "
                                "for review."))
    return redirect(selectors.edit_url(copy))


@login_not_required
@require_GET
def adaptations(request: HttpRequest, pk: int) -> HttpResponse:
    """The published adaptations of a content, newest first, twenty a page."""
    content = access_content(request.user, pk)
    page = Paginator(lineage.published_adaptations(content), lineage.ADAPTATIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "library/feedback/adaptations.html", {
        "content": content, "page": page,
        "adaptations": [(row, selectors.content_url(row)) for row in page.object_list],
        "content_url": selectors.content_url(content)})
