"""Pages of the contents part: My contents, a new content, editing, sending for review and taking back, and the
content's page (public once published). Thin: parse, call a selector or service, render. What a person may not
see answers 404 (`selectors.access.access_content`); an action refused on a content she may see answers 403."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shikhon.core.forms import add_service_errors
from shikhon.library import counters, markdown, permissions
from shikhon.library.content_page import panels_context
from shikhon.library.forms_contents import REFRESH, ContentForm, initial_from
from shikhon.library.models import State
from shikhon.library.selectors import contents as selectors
from shikhon.library.selectors import curriculum
from shikhon.library.selectors.access import access_content
from shikhon.library.services import contents as services
from shikhon.people.requests import signed_in_user

if TYPE_CHECKING:
    from shikhon.library.models import Content, ContentVersion


def _sentence(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# ---------------------------------------------------------------- My contents


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(selectors.my_contents(user), selectors.MINE_PER_PAGE).get_page(request.GET.get("page"))
    feedback = selectors.latest_feedback([c.pk for c in page])
    return render(request, "library/contents/mine.html", {
        "page": page, "rows": [(c, feedback.get(c.pk)) for c in page],
        "may_create": selectors.may_create(user),
    })


# ---------------------------------------------------------------- new, edit


def _refreshing(request: HttpRequest) -> bool:
    return request.method == "POST" and REFRESH in request.POST


def _refreshed_form(request: HttpRequest) -> ContentForm:
    """The form drawn again with the chapters of the class and subject chosen: what she typed kept, nothing
    refused yet."""
    return ContentForm(initial={key: request.POST.get(key, "") for key in ContentForm.base_fields})


def _not_a_teacher(request: HttpRequest) -> HttpResponse:
    return render(request, "library/contents/not_a_teacher.html", status=403)


def new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not selectors.may_create(user):
        return _not_a_teacher(request)
    if _refreshing(request):
        form = _refreshed_form(request)
    elif request.method == "POST":
        form = ContentForm(request.POST)
        if form.is_valid():
            try:
                content = services.content_create(actor=user, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                return _not_a_teacher(request)
            else:
                messages.success(request, _("Your content is saved as a draft. Add its files, then send it for "
                                            "review."))
                return redirect(content.get_absolute_url())
    else:
        form = ContentForm(initial={key: request.GET.get(key, "") for key in ("grade", "subject")})
    return render(request, "library/contents/form.html", {"form": form, "content": None, "refresh": REFRESH})


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = access_content(user, pk)
    if not permissions.can_edit(user, content):
        raise PermissionDenied
    latest = content.latest_version
    waiting = latest is not None and latest.state in selectors.WAITING
    form: ContentForm | None = None
    if waiting:
        pass  # the page says why and offers to take it back
    elif _refreshing(request):
        form = _refreshed_form(request)
    elif request.method == "POST":
        form = ContentForm(request.POST)
        if form.is_valid():
            try:
                services.content_update(actor=user, content=content, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(content.get_absolute_url())
    else:
        form = ContentForm(initial=initial_from(latest) if latest is not None else {})
    return render(request, "library/contents/form.html", {
        "form": form, "content": content, "latest": latest, "waiting": waiting, "refresh": REFRESH,
        "makes_new_version": latest is not None and latest.state in selectors.NEW_VERSION_FROM,
    })


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = access_content(user, pk)
    if not permissions.can_edit(user, content):
        raise PermissionDenied
    try:
        services.content_submit(actor=user, content=content)
    except ValidationError as exc:
        messages.error(request, _sentence(exc))
    else:
        messages.success(request, _("Sent for review. A mentor of your area will read it; you will be told what "
                                    "they decide."))
    return redirect(content.get_absolute_url())


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    content = access_content(user, pk)
    if not permissions.can_edit(user, content):
        raise PermissionDenied
    try:
        services.content_withdraw(actor=user, content=content)
    except ValidationError as exc:
        messages.error(request, _sentence(exc))
    else:
        messages.success(request, _("Taken back. It is a draft again: change it and send it when it is ready."))
    return redirect(content.get_absolute_url())


# ---------------------------------------------------------------- the content's page


def _load(request: HttpRequest, pk: int) -> Content | HttpResponse:
    """The content for this person; a visitor who may not see it is asked to sign in (the same answer whether it
    exists or not), a signed-in person gets 404."""
    if request.user.is_authenticated:
        return access_content(signed_in_user(request), pk)
    try:
        return access_content(AnonymousUser(), pk)
    except Http404:
        return redirect(f"{reverse('people:sign_in')}?{urlencode({'next': request.get_full_path()})}")


def _body(version: ContentVersion | None) -> str:
    """The version's safe HTML (made when it was saved; held to the allow-list again here)."""
    if version is None:
        return ""
    html = version.body_html or (markdown.render(version.body) if version.body else "")
    return mark_safe(markdown.clean_html(html))  # noqa: S308 - sanitised by nh3 (library.markdown)


def _panel_ids(templates: list[str]) -> list[tuple[str, str]]:
    """Each panel template with an id for links to it (`library/content_page/_reviews.html` → `panel-reviews`)."""
    return [(f"panel-{name.rsplit('/_', 1)[-1].removesuffix('.html')}", name) for name in templates]


@login_not_required  # a published content is public (the portal's were); anything else needs signing in
@require_GET
def content_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk)
    if isinstance(loaded, HttpResponse):
        return loaded
    content = loaded
    user = request.user
    sees_all = selectors.sees_unpublished(user, content)
    version = selectors.version_to_show(content, sees_all=sees_all, number=request.GET.get("version"))
    if version is None:
        raise Http404
    mine = user.is_authenticated and content.author_id == user.pk
    if content.is_published and not mine:
        counters.count_view(content.pk)
    latest = content.latest_version
    context: dict[str, Any] = {
        "content": content, "version": version, "latest": latest, "body": _body(version),
        "school": selectors.author_school(content),
        "place": curriculum.place_in_tree(curriculum.topic_get(version.topic_id)) if version.topic_id else [],
        "subject": curriculum.subject_get(version.subject_id),
        "grade_label": curriculum.grade_label(version.grade),
        "versions": selectors.versions_of(content) if sees_all else [],
        "sees_all": sees_all, "mine": mine,
        "is_published_version": version.pk == content.published_version_id,
        "may_edit": mine and permissions.can_edit(user, content),  # type: ignore[arg-type]
        "may_submit": mine and latest is not None and latest.state == State.DRAFT and content.hidden_at is None,
        "may_withdraw": mine and latest is not None and latest.state == State.SUBMITTED
                        and content.hidden_at is None,
    }
    panels = panels_context(request, content)
    context.update(panels)
    context["panels"] = _panel_ids(panels["library_panels"])
    return render(request, "library/content_detail.html", context)
