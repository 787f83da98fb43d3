"""The library's front door (public, like the course catalogue: a visitor's request reads no session):
`home` — search with filters and an order, one page of light cards at a time; `models` — model contents by class
and subject. GET only; a wrong filter value is said beside its field and the rest still filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from shikhon.core.search import SearchPage, page_number
from shikhon.courses.grades import grades_label
from shikhon.library.forms_search import ModelShelfForm, SearchForm
from shikhon.library.search import MIN_WORD
from shikhon.library.selectors import search as selectors
from shikhon.library.selectors.links import library_links

_SEARCH_FIELDS = ("q", "grade", "subject", "kind", "district", "upazila", "model", "sort")
_SHELF_FIELDS = ("grade", "subject")


def _content_url(pk: int) -> str:
    """The content's page, or "" while the contents part's page is not there (the card shows the title alone)."""
    try:
        return reverse("library:content", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def _with_urls(page: SearchPage) -> SearchPage:
    for content in page.object_list:
        content.url = _content_url(content.pk)
        content.grade_label = grades_label(content.grade, content.grade)
    return page


def _query_string(request: HttpRequest, fields: tuple[str, ...]) -> str:
    """The filters of this page for its "next page" links (the page number left out)."""
    return urlencode([(name, value) for name in fields for value in request.GET.getlist(name)[:1] if value])


def _page(request: HttpRequest, max_results: int, per_page: int) -> int:
    return page_number(request.GET.get("page"), last=max(1, max_results // per_page))


@login_not_required  # open to visitors: no session is read for one who has no cookie
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    searched = any(request.GET.get(name) for name in _SEARCH_FIELDS)
    form = SearchForm(request.GET if searched else None)
    filters = form.filters() if searched else selectors.ContentFilters()
    page = _with_urls(selectors.search_contents(
        filters, page=_page(request, selectors.MAX_RESULTS, selectors.PER_PAGE)))
    context: dict[str, Any] = {
        "form": form, "page": page, "filters": filters, "searched": searched,
        "too_short": filters.query.too_short, "min_letters": MIN_WORD,
        "query_string": _query_string(request, _SEARCH_FIELDS),
        "library_links": library_links(request.user),
    }
    return render(request, "library/search/home.html", context)


@login_not_required
@require_GET
def models(request: HttpRequest) -> HttpResponse:
    chosen = any(request.GET.get(name) for name in _SHELF_FIELDS)
    form = ModelShelfForm(request.GET if chosen else None)
    grade, subject_id = form.values() if chosen else (None, None)
    page = _with_urls(selectors.model_contents(grade=grade, subject_id=subject_id,
                                               page=_page(request, 5000, selectors.PER_PAGE)))
    shelves = selectors.model_shelves(grade=grade) if subject_id is None and page.number == 1 else []
    return render(request, "library/search/models.html", {
        "form": form, "page": page, "shelves": shelves, "grade": grade, "subject_id": subject_id,
        "query_string": _query_string(request, _SHELF_FIELDS),
    })
