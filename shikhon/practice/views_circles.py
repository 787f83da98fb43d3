"""Pages of the circles part: a circle (members, next meeting, shared practice, meetings), recording a meeting,
a meeting, its photo, and the head teacher's school page. Thin: parse, call a selector or service, render.
Hidden is 404 (`access_*`); a person who may see a circle but not lead it gets 403 on the leader's form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shikhon.core.access import parse_pk
from shikhon.core.forms import add_service_errors
from shikhon.core.serving import stored_file_response
from shikhon.people.requests import signed_in_user
from shikhon.people.selectors import access_cluster
from shikhon.practice import permissions
from shikhon.practice.forms_circles import NextMeetingForm, meeting_form_for
from shikhon.practice.selectors import access_circle, access_meeting
from shikhon.practice.selectors import circles as selectors
from shikhon.practice.services import circles as services


def _url(name: str, *, pk: int | None = None, query: dict[str, Any] | None = None) -> str:
    """The address of another part's page, or "" while that page is not there yet."""
    try:
        address = reverse(name, kwargs={"pk": pk} if pk is not None else None)
    except NoReverseMatch:
        return ""
    return f"{address}?{urlencode(query)}" if query else address


def my_circle(request: HttpRequest) -> HttpResponse:
    """Her school's circle (made the first time it is needed); 404 when she works in no school."""
    school = selectors.my_circle_school(signed_in_user(request))
    if school is None:
        raise Http404
    return redirect(services.circle_for_school(school=school).get_absolute_url())


def cluster_circle(request: HttpRequest, pk: int) -> HttpResponse:
    """A cluster's circle (by the cluster's id): the page when it exists and she may see it; else an officer
    keeping the cluster's upazila has it made. Anybody else: 404."""
    user = signed_in_user(request)
    found = selectors.cluster_circle_of(user, pk)
    if found is None:
        found = services.circle_for_cluster(cluster=access_cluster(user, pk))
    return redirect(found.get_absolute_url())


def circle(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    circle = access_circle(user, pk)
    members = selectors.circle_members(circle)
    member_ids = {m.user.pk for m in members}
    shared = selectors.shared_practice(circle, member_ids=member_ids, viewer=user)
    encourage = {r.pk: _url("practice:encourage", pk=r.pk) for r in shared
                 if not getattr(r, "mine", False) and permissions.can_encourage(user, r)}
    can_lead = permissions.can_lead(user, circle)
    return render(request, "practice/circle_detail.html", {
        "circle": circle, "members": members, "shared": [(r, encourage.get(r.pk, "")) for r in shared],
        "meetings": selectors.meetings_of(circle), "can_lead": can_lead,
        "next_form": NextMeetingForm(initial={"on": circle.next_meeting_on}) if can_lead else None,
    })


@require_POST
def circle_next_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    circle = access_circle(user, pk)
    if not permissions.can_lead(user, circle):
        raise PermissionDenied
    form = NextMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.circle_set_next_meeting(actor=user, circle=circle, on=form.cleaned_data["on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The next meeting was saved."))
            return redirect(circle.get_absolute_url())
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(circle.get_absolute_url())


def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    circle = access_circle(user, pk)
    if not permissions.can_lead(user, circle):
        raise PermissionDenied  # she may see the circle, not record its meetings
    form = meeting_form_for(circle, user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_record(
                actor=user, circle=circle, held_on=data["held_on"], attendee_ids=form.ids("attendees"),
                activity_ids=form.ids("activities"), reflection_record_ids=form.ids("reflections"),
                notes=data["notes"], plans=data["plans"], materials_photo=data.get("materials_photo"),
                client_id=data["client_id"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting was recorded. Teachers with a plan were told."))
            return redirect(meeting.get_absolute_url())
    return render(request, "practice/circle_meeting_form.html", {"circle": circle, "form": form})


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = access_meeting(user, pk)
    return render(request, "practice/circle_meeting.html", {
        "meeting": meeting, "circle": meeting.circle, "detail": selectors.meeting_detail(meeting)})


def meeting_photo(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    user = signed_in_user(request)
    meeting = access_meeting(user, pk)
    return stored_file_response(meeting.materials_photo.name or "", download_name=f"shikhon-meeting-{meeting.pk}",
                                attachment=False)


def school(request: HttpRequest) -> HttpResponse:
    """The head teacher's page of her school: whom to encourage this week, records awaiting her acknowledgement.
    With several schools, `?school=<id>` chooses one of them; anything else answers 404."""
    user = signed_in_user(request)
    schools = selectors.headed_schools(user)
    if not schools:
        raise Http404
    chosen = schools[0]
    if "school" in request.GET:
        wanted = parse_pk(request.GET.get("school"))
        chosen = next((s for s in schools if s.pk == wanted), None)
        if chosen is None:
            raise Http404
    rows = selectors.school_page_rows(chosen.pk)
    awaiting = selectors.awaiting_acknowledgement(chosen.pk, head=user)
    groups: list[tuple[str, list[Any]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.group_label:
            groups.append((row.group_label, []))
        groups[-1][1].append((row, _url("practice:observation_new", query={"teacher": row.user.pk})))
    return render(request, "practice/school_page.html", {
        "school": chosen, "schools": schools, "groups": groups, "teachers": len(rows),
        "quiet": sum(1 for r in rows if r.quiet),
        "awaiting": [(r, reverse("practice:acknowledge", kwargs={"pk": r.pk})) for r in awaiting],
        "circle": services.circle_for_school(school=chosen),
    })
