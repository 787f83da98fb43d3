"""Pages of the reviews part: the mentor's review queue and review page, model content promotion, the moderation
queue and its actions. Thin: parse, call a service or selector, render. A page a person may not use answers 404
(a non-mentor's queue, a content outside her area, a report she does not moderate); every action is a POST that
works without JavaScript and answers bad input with a sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shikhon.core.forms import add_service_errors
from shikhon.library import permissions
from shikhon.library.forms_reviews import ReasonForm, ReviewForm
from shikhon.library.rubric import current_rubric, definition_of
from shikhon.library.selectors import reviews as selectors
from shikhon.library.selectors.access import access_content
from shikhon.library.services import models as model_services
from shikhon.library.services import moderation as moderation_services
from shikhon.library.services import reviews as review_services
from shikhon.people.requests import signed_in_user

if TYPE_CHECKING:
    from shikhon.library.models import Content
    from shikhon.people.models import User


def _sentence(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _act(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Run a service for a POST: its refusal becomes a message (the sentence), a permission refusal a 404, success
    the `done` message. Whether it succeeded."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _sentence(exc))
        return False
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return True


def _reason(request: HttpRequest) -> str:
    """The reason typed with a moderation or demotion (required): its sentence as a refusal when missing."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["reason"][0])
    return str(form.cleaned_data["reason"])


def _reviewable(user: User, pk: int) -> Content:
    content = access_content(user, pk)
    if not permissions.can_review(user, content):
        raise Http404
    return content


# ---------------------------------------------------------------- review


def review_queue(request: HttpRequest) -> HttpResponse:
    """Her area's contents waiting for review, the longest waiting first."""
    user = signed_in_user(request)
    if not selectors.is_mentor(user):
        raise Http404
    page = Paginator(selectors.review_queue(user), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/reviews/queue.html", {"page": page})


@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = _reviewable(user, pk)
    try:
        review_services.review_start(actor=user, content=content)
    except ValidationError as exc:
        messages.error(request, _sentence(exc))
        return redirect("library:review_queue")
    except PermissionDenied:
        raise Http404 from None
    return redirect("library:review", pk=content.pk)


def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest version's text and files beside the rubric; the decision and feedback."""
    user = signed_in_user(request)
    content = _reviewable(user, pk)
    rubric = current_rubric()
    form = ReviewForm(request.POST or None, definition=definition_of(rubric))
    waiting = content.state in selectors.WAITING and content.hidden_at is None
    if request.method == "POST" and waiting and form.is_valid():
        try:
            review_services.review_submit(actor=user, content=content, scores=form.scores(),
                                          decision=form.cleaned_data["decision"],
                                          feedback=form.cleaned_data.get("feedback") or "")
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            if form.cleaned_data["decision"] == review_services.Decision.PUBLISH:
                messages.success(request, _("Published. The author is told, and teachers can find it now."))
            else:
                messages.success(request, _("Sent back to the author with your feedback."))
            return redirect("library:review_queue")
    version = content.latest_version
    return render(request, "library/reviews/review.html", {
        "content": content, "version": version, "waiting": waiting, "form": form,
        "files": list(version.files.all()) if version is not None else [],
        "previous": selectors.latest_review(content), "content_url": selectors.content_link(content),
    }, status=400 if request.method == "POST" and form.errors else 200)


# ---------------------------------------------------------------- model contents


def _promotable(user: User, pk: int) -> Content:
    content = access_content(user, pk)
    if not permissions.can_promote(user, content):
        raise Http404
    return content


@require_POST
def content_promote(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = _promotable(user, pk)
    _act(request, lambda: model_services.content_promote(actor=user, content=content),
         _("It is a model content now: teachers can adapt it."))
    return redirect(selectors.content_link(content))


@require_POST
def content_demote(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = _promotable(user, pk)
    _act(request, lambda: model_services.content_demote(actor=user, content=content, reason=_reason(request)),
         _("It is no longer a model content. The author is told why."))
    return redirect(selectors.content_link(content))


# ---------------------------------------------------------------- moderation


def moderation(request: HttpRequest) -> HttpResponse:
    """Open reports of the area this person moderates, the oldest first, each with hide and dismiss."""
    user = signed_in_user(request)
    if not selectors.is_moderator(user):
        raise Http404
    page = Paginator(selectors.moderation_queue(user), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for report in page.object_list:
        report.content_url = selectors.content_link(report.content)  # type: ignore[attr-defined]
    return render(request, "library/reviews/moderation.html", {"page": page})


@require_POST
def report_uphold(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.access_moderated_report(user, pk)
    _act(request, lambda: moderation_services.report_uphold(actor=user, report=report, reason=_reason(request)),
         _("The content is hidden and its reports are closed. The author is told why."))
    return redirect("library:moderation")


@require_POST
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.access_moderated_report(user, pk)
    _act(request, lambda: moderation_services.report_dismiss(actor=user, report=report),
         _("The report is dismissed; the content stays as it is."))
    return redirect("library:moderation")


def _moderated_content(user: User, pk: int) -> Content:
    content = access_content(user, pk)
    if not permissions.can_moderate(user, content):
        raise Http404
    return content


def _hide_or_restore(request: HttpRequest, pk: int, *, hide: bool) -> HttpResponse:
    user = signed_in_user(request)
    content = _moderated_content(user, pk)
    service = moderation_services.content_hide if hide else moderation_services.content_restore
    _act(request, lambda: service(actor=user, content=content, reason=_reason(request)),
         _("The content is hidden. The author is told why.") if hide
         else _("The content can be seen again. The author is told."))
    return redirect(selectors.content_link(content))


@require_POST
def content_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_or_restore(request, pk, hide=True)


@require_POST
def content_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_or_restore(request, pk, hide=False)


@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    comment = selectors.access_moderated_comment(user, pk)
    _act(request, lambda: moderation_services.comment_hide(actor=user, comment=comment), _("The comment is hidden."))
    next_url = request.POST.get("next", "")
    if next_url == reverse("library:moderation"):
        return redirect(next_url)
    return redirect(selectors.content_link(comment.content))
