"""Browse the country: division → district → upazila → school, and school search."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from shikhon.core import ratelimit
from shikhon.core import search as text_search
from shikhon.core.access import parse_pk
from shikhon.core.middleware import client_ip
from shikhon.places import selectors
from shikhon.places.models import School

PER_PAGE = 25
# Visitors who are not signed in (a teacher looking up her EIIN while registering) may search,
# within a limit per address; signed-in people are not limited.
ANONYMOUS_SEARCHES_PER_WINDOW = 60
ANONYMOUS_SEARCH_WINDOW_SECONDS = 300


def _pk_or_404(raw: object) -> int:
    pk = parse_pk(raw)
    if pk is None:
        raise Http404
    return pk


def browse(request: HttpRequest) -> HttpResponse:
    return render(request, "places/browse.html", {"divisions": selectors.divisions()})


def division(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.division_get(_pk_or_404(pk))
    if obj is None:
        raise Http404
    return render(request, "places/division.html", {"division": obj, "districts": selectors.districts_of(obj)})


def district(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.district_get(_pk_or_404(pk))
    if obj is None:
        raise Http404
    return render(request, "places/district.html", {
        "district": obj, "upazilas": selectors.upazilas_with_school_counts(obj),
    })


def upazila(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.upazila_get(_pk_or_404(pk))
    if obj is None:
        raise Http404
    page = Paginator(selectors.upazila_schools(obj), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "places/upazila.html", {
        "upazila": obj, "page": page, "clusters": selectors.upazila_clusters(obj),
    })


def school(request: HttpRequest, eiin: str) -> HttpResponse:
    canonical = selectors.parse_eiin(eiin)
    if canonical is None:
        raise Http404
    if canonical != eiin:  # typed with Bangla digits or spaces: send to the one address
        return redirect("places:school", eiin=canonical, permanent=True)
    obj = selectors.school_get(canonical)
    if obj is None:
        raise Http404
    return render(request, "places/school.html", {"school": obj, "clusters": list(obj.clusters.all())})


class SchoolResult(NamedTuple):
    """A search result line: the school, and its page address ("" when the page is not shown to this visitor)."""

    school: School
    url: str


def _results(schools: Iterable[School], *, linked: bool) -> list[SchoolResult]:
    """The result lines, linked to the schools' pages when `linked`: one `reverse` for the page instead of
    one per row."""
    if not linked:
        return [SchoolResult(school, "") for school in schools]
    pattern = reverse("places:school", args=["000000"])
    return [SchoolResult(school, pattern.replace("000000", school.eiin)) for school in schools]


@login_not_required
def search(request: HttpRequest) -> HttpResponse:
    query = selectors.clean_query(request.GET.get("q"))
    upazila_id = parse_pk(request.GET.get("upazila"))
    upazila_obj = selectors.upazila_get(upazila_id) if upazila_id is not None else None
    context: dict[str, object] = {"query": query, "upazila": upazila_obj, "page": None, "limited": False}
    status = 200
    if query or upazila_obj is not None:
        if not request.user.is_authenticated and not ratelimit.hit(
            key=f"school-search:{client_ip(request) or 'unknown'}",
            limit=ANONYMOUS_SEARCHES_PER_WINDOW, window_seconds=ANONYMOUS_SEARCH_WINDOW_SECONDS,
        ):
            context["limited"], status = True, 429
        elif query and text_search.is_too_short(query):
            context["too_short"] = text_search.MIN_QUERY_CHARS
        else:
            page = selectors.school_search_page(
                query, upazila_id=upazila_obj.pk if upazila_obj else None, page=request.GET.get("page"))
            context["page"] = page
            # School pages are for signed-in people.
            context["results"] = _results(page, linked=request.user.is_authenticated)
            context["more_than_cap"] = selectors.SEARCH_RESULTS_CAP if page.capped else None
            params = {"q": query} if query else {}
            if upazila_obj is not None:
                params["upazila"] = str(upazila_obj.pk)
            context["query_string"] = urlencode(params)
    return render(request, "places/search.html", context, status=status)
