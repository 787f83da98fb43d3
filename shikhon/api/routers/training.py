"""Face-to-face training: programmes, the batches the caller may see, and her invitations with accept and decline.

Rows are loaded through `training.selectors` (`access_batch`, `access_invitation`: missing and hidden are one 404)
and answers go through `training.services.invitation_respond`, as on the invitation page."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from shikhon.api.auth import caller
from shikhon.api.errors import refusals
from shikhon.api.pagination import MAX_ID, PageParams, paginate
from shikhon.api.schemas import ErrorOut, Page, PlaceRef
from shikhon.training import selectors, services

if TYPE_CHECKING:
    from shikhon.training.models import Batch, Invitation, Programme

router = Router(tags=["training"])

ERRORS: dict[int, Any] = {401: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS_404, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


class RequiredCourseRef(Schema):
    slug: str
    title: str


class ProgrammeOut(Schema):
    id: int
    title: str
    description: str
    days: int
    is_active: bool = Field(..., description="Open for new batches.")
    required_course: RequiredCourseRef | None = Field(
        None, description="Whose certificate (any version) makes a teacher eligible.")


class ProgrammePage(Page):
    items: list[ProgrammeOut]


class ProgrammeRef(Schema):
    id: int
    title: str


class BatchOut(Schema):
    id: int
    title: str
    programme: ProgrammeRef
    upazila: PlaceRef
    venue: str
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    status: Literal["planned", "running", "completed", "cancelled"]


class BatchPage(Page):
    items: list[BatchOut]


class BatchSummaryOut(Schema):
    invited: int = Field(..., description="Invited, not yet answered.")
    accepted: int
    declined: int
    attended: int = Field(..., description="Present on at least one day.")
    completed: int


class BatchDetailOut(BatchOut):
    summary: BatchSummaryOut | None = Field(None, description="For its organisers, trainers and national people.")
    my_invitation: int | None = Field(None, description="The caller's invitation to it, if any.")


class InvitationOut(Schema):
    id: int
    status: Literal["invited", "accepted", "declined", "cancelled"]
    batch: BatchOut
    invited_at: dt.datetime
    responded_at: dt.datetime | None = None
    completed_at: dt.datetime | None = Field(None, description="When she completed the training.")
    may_answer: bool = Field(..., description="Whether she may still accept or decline (until the first day).")
    url: str = Field(..., description="The invitation's page on the site.")


class InvitationPage(Page):
    items: list[InvitationOut]


def _programme(programme: Programme) -> dict[str, Any]:
    course = programme.required_course
    return {"id": programme.pk, "title": programme.title, "description": programme.description,
            "days": programme.days, "is_active": programme.is_active,
            "required_course": {"slug": course.slug, "title": course.title} if course is not None else None}


def _batch(batch: Batch) -> dict[str, Any]:
    return {"id": batch.pk, "title": batch.title,
            "programme": {"id": batch.programme_id, "title": batch.programme.title},
            "upazila": batch.upazila, "venue": batch.venue, "starts_on": batch.starts_on, "ends_on": batch.ends_on,
            "capacity": batch.capacity, "status": batch.status}


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {"id": invitation.pk, "status": invitation.status, "batch": _batch(invitation.batch),
            "invited_at": invitation.invited_at, "responded_at": invitation.responded_at,
            "completed_at": invitation.completed_at, "may_answer": selectors.invitation_may_answer(invitation),
            "url": reverse("training:invitation", kwargs={"pk": invitation.pk})}


@router.get("/training/programmes", response={200: ProgrammePage, **ERRORS}, summary="Training programmes")
def list_programmes(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Every face-to-face training programme, open ones first, with the course whose certificate it asks for."""
    page = paginate(selectors.programmes_list(), params)
    page["items"] = [_programme(p) for p in page["items"]]
    return page


@router.get("/training/batches", response={200: BatchPage, **ERRORS}, summary="Batches she may see")
def list_batches(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Officers: the batches of their area; trainers: those they train; teachers: those they are invited to;
    national people: all. Newest first."""
    page = paginate(selectors.batches_visible(caller(request)), params)
    page["items"] = [_batch(b) for b in page["items"]]
    return page


@router.get("/training/batches/{id}", response={200: BatchDetailOut, **ERRORS_404}, summary="One batch")
def get_batch(request: HttpRequest, id: int = _id("Batch id.")) -> dict[str, Any]:
    """A batch she may see (else 404); its counts for those who run it, her invitation for an invited teacher."""
    user = caller(request)
    batch = selectors.access_batch(user, id)
    counts = selectors.batch_summary_for(user, batch)  # the batch page's rule: those who run it
    summary = None if counts is None else {
        "invited": counts.invited, "accepted": counts.accepted, "declined": counts.declined,
        "attended": counts.attended, "completed": counts.completed}
    own = selectors.invitation_to(user, batch)
    return {**_batch(batch), "summary": summary, "my_invitation": own.pk if own is not None else None}


@router.get("/me/invitations", response={200: InvitationPage, **ERRORS}, tags=["me"], summary="My invitations")
def my_invitations(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Her training invitations (withdrawn ones left out), the latest batch first."""
    page = paginate(selectors.invitations_of(caller(request)), params)
    page["items"] = [_invitation(i) for i in page["items"]]
    return page


@router.get("/me/invitations/{id}", response={200: InvitationOut, **ERRORS_404}, tags=["me"],
            summary="One of my invitations")
def get_invitation(request: HttpRequest, id: int = _id("Invitation id.")) -> dict[str, Any]:
    return _invitation(selectors.access_invitation(caller(request), id))


def _respond(request: HttpRequest, id: int, *, accept: bool) -> dict[str, Any]:
    user = caller(request)
    invitation = selectors.access_invitation(user, id)
    with refusals():
        services.invitation_respond(actor=user, invitation=invitation, accept=accept)
    return _invitation(selectors.access_invitation(user, id))


@router.post("/me/invitations/{id}/accept", response={200: InvitationOut, **WRITE_ERRORS}, tags=["me"],
             summary="Accept an invitation")
def accept_invitation(request: HttpRequest, id: int = _id("Invitation id.")) -> dict[str, Any]:
    """Until the training starts; 409 with the reason once it has, when it was withdrawn, or when the places are
    taken."""
    return _respond(request, id, accept=True)


@router.post("/me/invitations/{id}/decline", response={200: InvitationOut, **WRITE_ERRORS}, tags=["me"],
             summary="Decline an invitation")
def decline_invitation(request: HttpRequest, id: int = _id("Invitation id.")) -> dict[str, Any]:
    return _respond(request, id, accept=False)
