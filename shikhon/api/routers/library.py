"""The teachers' library (decision 0012): contents (search, detail, create, edit, submit, files), the curriculum
tree, mentors' reviews, ratings, comments, reports and model contents.

Every row is loaded through `library.selectors.access.access_content` (missing, malformed, hidden and someone else's
draft are one 404), every list starts from the library selectors (the rows the pages show), and every write goes
through the library services, the same calls the pages make: a service's refusal answers its own sentence — 409
`conflict` for "not in this state" (`details.reason`: `already_submitted`, `not_waiting`, `already_model`, …), 400 for
what was sent (`details.fields` names the field); an action refused on a content she may see is 403, as on the pages.

Search, a content's published version, the curriculum, comments and model contents answer visitors too. Times are
given in Dhaka's time (+06:00)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict, field_validator

from shikhon.api.auth import PUBLIC_AUTH, PUBLIC_OPENAPI, caller, caller_or_visitor
from shikhon.api.errors import ApiError, refusal
from shikhon.api.pagination import _CONTROL, MAX_ID, MAX_PAGE, PageParams, paginate, search_text
from shikhon.api.schemas import ErrorOut, Page
from shikhon.library import permissions
from shikhon.library.rubric import current_rubric, definition_of
from shikhon.library.search import parse_query
from shikhon.library.selectors import curriculum
from shikhon.library.selectors import feedback as feedback_selectors
from shikhon.library.selectors import files as file_selectors
from shikhon.library.selectors import reviews as review_selectors
from shikhon.library.selectors import search as search_selectors
from shikhon.library.selectors.access import access_content, sees_unpublished
from shikhon.library.selectors.contents import may_create, version_to_show
from shikhon.library.services import adapt as adapt_services
from shikhon.library.services import contents as content_services
from shikhon.library.services import feedback as feedback_services
from shikhon.library.services import files as file_services
from shikhon.library.services import models as model_services
from shikhon.library.services import reviews as review_services

if TYPE_CHECKING:
    from shikhon.core.search import SearchPage
    from shikhon.library.models import (
        Comment,
        Content,
        ContentFile,
        ContentVersion,
        Rating,
        Report,
        Review,
        Subject,
        Topic,
    )
    from shikhon.people.models import User

router = Router(tags=["library"])

ERRORS: dict[int, Any] = {401: ErrorOut, 414: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS_404, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}

# The library services' refusal codes meaning "not in this state" (the request itself was well formed): 409.
STATE_REFUSALS = frozenset({
    "waiting_for_review", "already_submitted", "nothing_to_submit", "under_review", "not_submitted", "no_version",
    "not_waiting", "not_published", "already_model", "not_reviewed", "not_model", "already_reported",
    "own_content", "too_many_files",
})
MAX_TEXT = 25_000  # a bound on any text sent (the services' own limits are lower, and refused with a sentence)
SEARCH_LIMIT = 50
MAX_COMMENTS_PAGE = 100


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


PositiveId = Annotated[int, Field(ge=1, le=MAX_ID)]
Grade = Annotated[int, Field(ge=curriculum.GRADE_MIN, le=curriculum.GRADE_MAX)]
KindName = Literal["lesson_plan", "slides", "video", "worksheet", "pictures", "audio"]
LanguageName = Literal["bn", "en"]
StateName = Literal["draft", "submitted", "under_review", "changes_requested", "published", "superseded"]
Sort = Literal["", "relevance", "newest", "rated", "used"]


@contextmanager
def library_refusals() -> Iterator[None]:
    """A library service's ValidationError as the API's error: its sentence; 409 for a state, 429 for "too many
    just now", else 400."""
    try:
        yield
    except DjangoValidationError as exc:
        error = refusal(exc)
        reason = error.details.get("reason")
        if reason == "rate_limited":
            error = ApiError(429, message=error.message, details=error.details)
        elif error.status_code != 409 and reason in STATE_REFUSALS:
            error = ApiError(409, message=error.message, details=error.details)
        raise error from None


def _dhaka(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------------------------------- shared schemas


class LibraryPerson(Schema):
    id: int
    name_bn: str
    name_en: str


class SubjectRef(Schema):
    id: int
    code: str
    name_bn: str
    name_en: str


class TopicRef(Schema):
    id: int
    number: int
    name_bn: str
    name_en: str


class ContentRef(Schema):
    id: int
    title: str
    url: str = Field(..., description="The content's page on the site.")


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name_bn": user.name_bn, "name_en": user.name_en}


def _subject_ref(subject: Subject) -> dict[str, Any]:
    return {"id": subject.pk, "code": subject.code, "name_bn": subject.name_bn, "name_en": subject.name_en}


def _topic_ref(topic: Topic | None) -> dict[str, Any] | None:
    if topic is None:
        return None
    return {"id": topic.pk, "number": topic.number, "name_bn": topic.name_bn, "name_en": topic.name_en}


def _url(content: Content) -> str:
    try:
        return content.get_absolute_url()
    except NoReverseMatch:  # the contents part's route not mounted: the review page always is
        return review_selectors.content_link(content)


# --------------------------------------------------------------------------------------------- curriculum


class SubjectOut(SubjectRef):
    grade_from: int = Field(..., description="The first class it is taught in.")
    grade_to: int = Field(..., description="The last class it is taught in.")


class SubjectList(Schema):
    items: list[SubjectOut]


class ChapterOut(TopicRef):
    topics: list[TopicRef] = Field(..., description="The chapter's topics, in order (may be empty).")


class CurriculumOut(Schema):
    subject: SubjectRef
    grade: int
    chapters: list[ChapterOut]


class SubjectParams(Schema):
    grade: Grade | None = Field(None, description="Only the subjects taught in this class (1 to 10).")


class TopicParams(Schema):
    grade: Grade = Field(..., description="The class, 1 to 10.")


@router.get("/library/subjects", response={200: SubjectList, **ERRORS}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="The curriculum's subjects (public)")
def list_subjects(request: HttpRequest, params: Query[SubjectParams]) -> dict[str, Any]:
    """Every subject of the curriculum in its order (16 at most), or those taught in a class."""
    subjects = curriculum.subjects_for_grade(params.grade) if params.grade is not None else curriculum.tree().subjects
    return {"items": [{**_subject_ref(s), "grade_from": s.grade_from, "grade_to": s.grade_to} for s in subjects]}


@router.get("/library/subjects/{id}/topics", response={200: CurriculumOut, **ERRORS_404}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="A subject's chapters and topics in a class (public)")
def subject_topics(request: HttpRequest, params: Query[TopicParams], id: int = _id("Subject id.")) -> dict[str, Any]:
    """The chapters of a subject in a class, each with its topics: what a content's `topic` is chosen from. A class
    the subject is not taught in answers no chapters."""
    subject = curriculum.subject_get(id)
    if subject is None:
        raise ApiError(404)
    chapters = curriculum.chapters_of(subject.pk, params.grade)
    return {"subject": _subject_ref(subject), "grade": params.grade,
            "chapters": [{**(_topic_ref(c.chapter) or {}), "topics": [_topic_ref(t) for t in c.topics]}
                         for c in chapters]}


# --------------------------------------------------------------------------------------------- contents: lists


class ContentCard(Schema):
    id: int
    title: str
    grade: int
    subject: SubjectRef
    kind: KindName
    language: LanguageName
    author: LibraryPerson
    is_model: bool = Field(..., description="A model content, which any teacher may adapt.")
    published_at: dt.datetime | None = Field(..., description="When first published (Dhaka time); null for a draft.")
    rating_average: float | None = Field(..., description="The average of teachers' ratings, 1 to 5.")
    rating_count: int
    used_in_class: int = Field(..., description="Times teachers recorded using it in class.")
    adaptations_count: int
    url: str = Field(..., description="The content's page on the site.")


class ContentSearchPage(Schema):
    page: int = Field(..., description="This page's number, from 1.")
    limit: int = Field(..., description="Items per page.")
    has_next: bool = Field(..., description="Whether there is a next page.")
    capped: bool = Field(..., description="True on the last page a search may reach (1,000 results): narrow the "
                                          "search with words or filters to see the others.")
    items: list[ContentCard]


def _card(content: Content) -> dict[str, Any]:
    return {"id": content.pk, "title": content.title, "grade": content.grade, "subject": _subject_ref(content.subject),
            "kind": content.kind, "language": content.language, "author": _person(content.author),
            "is_model": content.is_model, "published_at": _dhaka(content.published_at),
            "rating_average": _float(content.rating_average), "rating_count": content.rating_count,
            "used_in_class": content.used_in_class, "adaptations_count": content.adaptations_count,
            "url": _url(content)}


def _search_page(found: SearchPage, limit: int) -> dict[str, Any]:
    return {"page": found.number, "limit": limit, "has_next": found.has_next, "capped": found.capped,
            "items": [_card(c) for c in found.object_list]}


class SearchPageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    limit: int = Field(search_selectors.PER_PAGE, ge=1, le=SEARCH_LIMIT, description="Items per page, 1 to 50.")


class ContentSearchParams(SearchPageParams):
    q: str = search_text("Words of the title, summary or text, in Bangla or English (parts of Bangla words of 3 "
                         "letters or more match too).")
    grade: Grade | None = Field(None, description="The class, 1 to 10.")
    subject: PositiveId | None = Field(None, description="A subject's id (GET /library/subjects).")
    kind: KindName | None = None
    district: PositiveId | None = Field(None, description="Contents written in this district.")
    upazila: PositiveId | None = Field(None, description="Contents written in this upazila.")
    model: bool = Field(False, description="Model contents only.")
    sort: Sort = Field("", description="relevance (with words), newest (without), rated, used.")

    @field_validator("q", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError(_("The search text contains control characters. Type plain letters and digits."))
        return value


@router.get("/library/contents", response={200: ContentSearchPage, **ERRORS}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="Search the library (public)")
def search_contents(request: HttpRequest, params: Query[ContentSearchParams]) -> dict[str, Any]:
    """Published contents holding every word of `q`, meeting every filter, in the order asked (the library's search
    page). A page never counts every match: `has_next` says whether there is more; a search reaches 1,000 results
    at most (`capped`)."""
    filters = search_selectors.ContentFilters(
        query=parse_query(params.q), grade=params.grade, subject_id=params.subject, kind=params.kind or "",
        district_id=params.district, upazila_id=params.upazila, model_only=params.model, sort=params.sort)
    found = search_selectors.search_contents(filters, page=params.page, per_page=params.limit)
    return _search_page(found, params.limit)


class ModelParams(SearchPageParams):
    grade: Grade | None = Field(None, description="The class, 1 to 10.")
    subject: PositiveId | None = Field(None, description="A subject's id.")


@router.get("/library/models", response={200: ContentSearchPage, **ERRORS}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="Model contents by class and subject (public)")
def list_models(request: HttpRequest, params: Query[ModelParams]) -> dict[str, Any]:
    """Published model contents, the newest models first."""
    found = search_selectors.model_contents(grade=params.grade, subject_id=params.subject, page=params.page,
                                            per_page=params.limit)
    return _search_page(found, params.limit)


# --------------------------------------------------------------------------------------------- contents: one


class VersionOut(Schema):
    number: int
    state: StateName
    title: str
    summary: str
    body: str = Field(..., description="What the author wrote (Markdown).")
    body_html: str = Field(..., description="The body as safe HTML (sanitised).")
    grade: int
    subject: SubjectRef
    topic: TopicRef | None
    kind: KindName
    language: LanguageName
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class ContentDetail(ContentCard):
    state: StateName = Field(..., description="The state of its latest version.")
    is_hidden: bool = Field(..., description="Hidden by a moderator (seen only by the author and moderators).")
    version: VersionOut | None = Field(..., description="The version the caller reads: the published one; for the "
                                                        "author, her head teacher and the area's mentors, the "
                                                        "latest.")
    published_version: int | None = Field(..., description="The number of the published version, if any.")
    latest_version: int | None = Field(None, description="The latest version's number (for those who see "
                                                         "drafts; else null).")
    adapted_from: ContentRef | None
    my_rating: int | None = Field(..., description="The caller's own rating, 1 to 5 (null: none, or a visitor).")
    may_edit: bool
    may_review: bool
    may_promote: bool
    may_adapt: bool


def _version(version: ContentVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"number": version.number, "state": version.state, "title": version.title, "summary": version.summary,
            "body": version.body, "body_html": version.body_html, "grade": version.grade,
            "subject": _subject_ref(version.subject), "topic": _topic_ref(version.topic), "kind": version.kind,
            "language": version.language, "created_at": _dhaka(version.created_at),
            "submitted_at": _dhaka(version.submitted_at), "decided_at": _dhaka(version.decided_at)}


def _detail(user: User | None, content: Content) -> dict[str, Any]:
    sees_all = sees_unpublished(user, content)
    shown = version_to_show(content, sees_all=sees_all)
    origin = content.adapted_from
    rating = feedback_selectors.rating_of(user.pk, content) if user is not None else None
    return {
        **_card(content), "state": content.state, "is_hidden": content.hidden_at is not None,
        "version": _version(shown),
        "published_version": content.published_version.number if content.published_version else None,
        "latest_version": content.latest_version.number if sees_all and content.latest_version else None,
        "adapted_from": ({"id": origin.pk, "title": origin.title, "url": _url(origin)}
                         if origin is not None and origin.is_published else None),
        "my_rating": rating.stars if rating is not None else None,
        "may_edit": user is not None and permissions.can_edit(user, content),
        "may_review": user is not None and permissions.can_review(user, content),
        "may_promote": user is not None and permissions.can_promote(user, content),
        "may_adapt": user is not None and adapt_services.can_adapt(user, content),
    }


def _seen(user: User | None, id: int) -> Content:
    return access_content(user, id)


def _content_detail(user: User | None, id: int) -> dict[str, Any]:
    content = _seen(user, id)
    return _detail(user, content)


@router.get("/library/contents/{id}", response={200: ContentDetail, **ERRORS_404}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="One content (public when published)")
def get_content(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """A published content for anyone; a draft, a content in review or a hidden one only for those the site shows
    it to (its author, her head teacher, the mentors of its area; hidden: the area's moderators) — 404 otherwise."""
    return _content_detail(caller_or_visitor(request), id)


class ContentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., max_length=MAX_TEXT, description="At most 200 characters.")
    summary: str = Field("", max_length=MAX_TEXT, description="At most 600 characters.")
    body: str = Field("", max_length=MAX_TEXT, description="Markdown, at most 20,000 characters.")
    grade: int = Field(..., description="The class, 1 to 10.")
    subject: PositiveId = Field(..., description="A subject taught in that class.")
    topic: PositiveId | None = Field(None, description="A chapter or topic of that subject and class.")
    kind: str = Field(..., max_length=40, description="lesson_plan, slides, video, worksheet, pictures or audio.")
    language: str = Field("bn", max_length=10, description="bn or en.")


class ContentPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=MAX_TEXT)
    summary: str | None = Field(None, max_length=MAX_TEXT)
    body: str | None = Field(None, max_length=MAX_TEXT)
    grade: int | None = None
    subject: PositiveId | None = None
    topic: PositiveId | None = Field(None, description="Send null with `clear_topic` to take the topic away.")
    clear_topic: bool = Field(False, description="Take the chapter or topic away.")
    kind: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=10)


def _subject_field(pk: int | None) -> Any:
    """The subject named, or a marker the service refuses with its sentence."""
    return curriculum.subject_get(pk) if pk is not None else None


def _topic_field(pk: int | None) -> Any:
    if pk is None:
        return None
    topic = curriculum.topic_get(pk)
    if topic is None:
        raise ApiError(400, message=_("Choose the chapter or topic from the list."),
                       details={"fields": {"topic": [_("Choose the chapter or topic from the list.")]}})
    return topic


def _may_create(user: User) -> None:
    if not may_create(user):
        raise ApiError(403, message=_("Only teachers and head teachers with a confirmed school role can add a "
                                      "content. If you asked for a role, please wait until it is approved."))


@router.post("/library/contents", response={201: ContentDetail, **WRITE_ERRORS}, summary="Start a content")
def create_content(request: HttpRequest, payload: ContentIn) -> tuple[int, dict[str, Any]]:
    """A teacher or head teacher with a confirmed school role starts a content (version 1, a draft), placed at her
    school. Each field the service refuses is named in `details.fields` with its sentence (400)."""
    user = caller(request)
    _may_create(user)
    with library_refusals():
        content = content_services.content_create(
            actor=user, title=payload.title, summary=payload.summary, body=payload.body, grade=payload.grade,
            subject=_subject_field(payload.subject), topic=_topic_field(payload.topic), kind=payload.kind,
            language=payload.language)
    return 201, _content_detail(user, content.pk)


@router.patch("/library/contents/{id}", response={200: ContentDetail, **WRITE_ERRORS}, summary="Change her content")
def update_content(request: HttpRequest, payload: ContentPatch, id: int = _id("Content id.")) -> dict[str, Any]:
    """Her draft is changed in place; a published or sent-back content gets a new draft version holding the change
    (what readers see does not change until a mentor publishes it). Waiting for or under review: 409. Fields not
    sent keep their values; nothing changed stores nothing."""
    user = caller(request)
    content = _seen(user, id)
    changes: dict[str, Any] = {}
    for name in ("title", "summary", "body", "grade", "kind", "language"):
        value = getattr(payload, name)
        if value is not None:
            changes[name] = value
    if payload.subject is not None:
        changes["subject"] = _subject_field(payload.subject)
    if payload.topic is not None:
        changes["topic"] = _topic_field(payload.topic)
    elif payload.clear_topic:
        changes["topic"] = None
    with library_refusals():
        content_services.content_update(actor=user, content=content, **changes)
    return _content_detail(user, id)


@router.post("/library/contents/{id}/submit", response={200: ContentDetail, **WRITE_ERRORS},
             summary="Send her draft for review")
def submit_content(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """Draft → submitted; the mentors of its upazila (else its district) are told. Sent already: 409
    (`already_submitted`); no new draft: 409 (`nothing_to_submit`)."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        content_services.content_submit(actor=user, content=content)
    return _content_detail(user, id)


@router.post("/library/contents/{id}/withdraw", response={200: ContentDetail, **WRITE_ERRORS},
             summary="Take back a content sent for review")
def withdraw_content(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """Submitted → draft, while no mentor has started the review (else 409, `under_review`)."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        content_services.content_withdraw(actor=user, content=content)
    return _content_detail(user, id)


# --------------------------------------------------------------------------------------------- files

class FileOut(Schema):
    id: int
    position: int
    file_kind: str = Field(..., description="pdf, slides, document, picture, audio or video.")
    original_name: str
    size: int = Field(..., description="In bytes.")
    sha256: str
    content_type: str
    preview_state: str = Field(..., description="none, pending, ready or failed.")
    preview_pages: int = Field(..., description="How many preview pictures there are.")
    created_at: dt.datetime


class FileList(Schema):
    version: int | None = Field(..., description="The number of the version these files belong to.")
    items: list[FileOut]


def _file(row: ContentFile) -> dict[str, Any]:
    return {"id": row.pk, "position": row.position, "file_kind": row.file_kind, "original_name": row.original_name,
            "size": row.size, "sha256": row.sha256, "content_type": row.content_type,
            "preview_state": row.preview_state, "preview_pages": len(row.preview_pages or []),
            "created_at": _dhaka(row.created_at)}


@router.get("/library/contents/{id}/files", response={200: FileList, **ERRORS_404}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="The files of a content (public when published)")
def list_files(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """The files of the version the caller reads (the published one; the latest for its author, her head teacher
    and the area's mentors). Ten at most."""
    user = caller_or_visitor(request)
    content = _seen(user, id)
    version = file_selectors.version_seen_by(user, content)
    return {"version": version.number if version is not None else None,
            "items": [_file(f) for f in file_selectors.version_files(version)]}


@router.post("/library/contents/{id}/files", response={201: FileOut, **WRITE_ERRORS},
             summary="Attach a file to her draft (multipart)")
def add_file(request: HttpRequest, file: File[UploadedFile], id: int = _id("Content id.")
             ) -> tuple[int, dict[str, Any]]:
    """One file, sent as `multipart/form-data` in the field `file`, checked by the site's upload checks (its type
    read from the bytes, pictures re-encoded, Office files inspected, a size limit per kind). A file refused answers
    400 with the one sentence that says why (`details.reason`: `too_large`, `not_allowed`, …); an eleventh file is
    409 (`too_many_files`); a content not hers, or not a draft, is 403."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        row = file_services.content_file_add(actor=user, content=content, upload=file)
    return 201, _file(row)


# --------------------------------------------------------------------------------------------- reviews


class QueueItem(Schema):
    content: ContentRef
    author: LibraryPerson
    grade: int
    subject: SubjectRef
    kind: KindName
    state: StateName
    version: int | None
    submitted_at: dt.datetime | None


class QueuePage(Page):
    items: list[QueueItem]


def _queue_item(content: Content) -> dict[str, Any]:
    latest = content.latest_version
    return {"content": {"id": content.pk, "title": content.title, "url": _url(content)},
            "author": _person(content.author), "grade": content.grade, "subject": _subject_ref(content.subject),
            "kind": content.kind, "state": content.state, "version": latest.number if latest else None,
            "submitted_at": _dhaka(latest.submitted_at) if latest else None}


@router.get("/library/reviews/queue", response={200: QueuePage, **ERRORS}, summary="Her area's contents to review")
def review_queue(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """For a mentor: her area's contents waiting for or under review (not her own), the longest waiting first.
    Anyone else gets an empty list."""
    page = paginate(review_selectors.review_queue(caller(request)), params)
    page["items"] = [_queue_item(c) for c in page["items"]]
    return page


class LevelOut(Schema):
    score: int
    bn: str
    en: str


class CriterionOut(Schema):
    key: str
    name_bn: str
    name_en: str
    levels: list[LevelOut] = Field(..., description="Scores 1 to 4, lowest first, each with its descriptor.")


class RubricOut(Schema):
    version: int
    in_force_from: dt.date
    criteria: list[CriterionOut]


@router.get("/library/reviews/rubric", response={200: RubricOut, **ERRORS}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="The review rubric in force (public)")
def get_rubric(request: HttpRequest) -> dict[str, Any]:
    rubric = current_rubric()
    definition = definition_of(rubric)
    return {"version": rubric.version, "in_force_from": rubric.in_force_from,
            "criteria": [{"key": c.key, "name_bn": c.name_bn, "name_en": c.name_en,
                          "levels": [{"score": n, "bn": level.bn, "en": level.en}
                                     for n, level in enumerate(c.levels, start=1)]} for c in definition.criteria]}


class ReviewOut(Schema):
    id: int
    content: int
    version: int = Field(..., description="The number of the version reviewed.")
    reviewer: LibraryPerson
    rubric: int = Field(..., description="The rubric's version.")
    scores: dict[str, int] = Field(..., description="{criterion key: 1 to 4}.")
    average: float
    decision: Literal["publish", "changes"]
    feedback: str
    created_at: dt.datetime


class ReviewList(Schema):
    items: list[ReviewOut]


def _review(review: Review) -> dict[str, Any]:
    return {"id": review.pk, "content": review.content_id, "version": review.version.number,
            "reviewer": _person(review.reviewer), "rubric": review.rubric.version,
            "scores": {str(k): int(v) for k, v in (review.scores or {}).items()}, "average": float(review.average),
            "decision": review.decision, "feedback": review.feedback, "created_at": _dhaka(review.created_at)}


REVIEWS_SHOWN = 50


@router.get("/library/contents/{id}/reviews", response={200: ReviewList, **ERRORS_404},
            summary="The reviews of a content (author, head teacher, mentors)")
def list_reviews(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """A content's mentors' reviews, newest first (at most 50: one per version sent), for its author, her head
    teacher and the mentors of its area; 404 for anyone else."""
    user = caller(request)
    content = _seen(user, id)
    if not review_selectors.sees_reviews(user, content):
        raise ApiError(404)
    return {"items": [_review(review) for review in review_selectors.reviews_of(content)[:REVIEWS_SHOWN]]}


@router.post("/library/contents/{id}/review/start", response={200: ContentDetail, **WRITE_ERRORS},
             summary="Start reviewing a content")
def start_review(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """A mentor of its area takes the submitted version into review (submitted → under review); again while under
    review changes nothing. Not waiting: 409 (`not_waiting`); not her area or her own: 403."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        review_services.review_start(actor=user, content=content)
    return _content_detail(user, id)


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scores: dict[Annotated[str, Field(max_length=40)], int] = Field(
        ..., description="{criterion key: 1 to 4} for every criterion of the rubric (GET /library/reviews/rubric).")
    decision: str = Field(..., max_length=20, description="publish, or changes (ask for changes).")
    feedback: str = Field("", max_length=MAX_TEXT, description="At most 4,000 characters; needed to ask for changes.")


@router.post("/library/contents/{id}/reviews", response={201: ReviewOut, **WRITE_ERRORS},
             summary="Decide a content: publish or ask for changes")
def submit_review(request: HttpRequest, payload: ReviewIn, id: int = _id("Content id.")) -> tuple[int, dict[str, Any]]:
    """Every criterion scored 1–4, a decision and feedback (needed to ask for changes). Publishing makes this
    version the one people read; the author is told. A content no longer waiting: 409 (`not_waiting`)."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        review = review_services.review_submit(actor=user, content=content, scores=payload.scores,
                                               decision=payload.decision, feedback=payload.feedback)
    return 201, _review(review)


# --------------------------------------------------------------------------------------------- model contents


class DemoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=MAX_TEXT, description="Why (at most 500 characters): told to the author.")


@router.post("/library/contents/{id}/promote", response={200: ContentDetail, **WRITE_ERRORS},
             summary="Make a content a model content")
def promote_content(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    """National mentors, and district mentors of its district, promote a published, reviewed content (else 403)."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        model_services.content_promote(actor=user, content=content)
    return _content_detail(user, id)


@router.post("/library/contents/{id}/demote", response={200: ContentDetail, **WRITE_ERRORS},
             summary="A model content no more")
def demote_content(request: HttpRequest, payload: DemoteIn, id: int = _id("Content id.")) -> dict[str, Any]:
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        model_services.content_demote(actor=user, content=content, reason=payload.reason)
    return _content_detail(user, id)


@router.post("/library/contents/{id}/adapt", response={201: ContentDetail, 200: ContentDetail, **WRITE_ERRORS},
             summary="Adapt a model content")
def adapt_content(request: HttpRequest, id: int = _id("Content id.")) -> tuple[int, dict[str, Any]]:
    """A teacher's own draft copy of a published model content (fields, text and files), linked to it: 201. Her
    second request answers the adaptation she already has: 200."""
    user = caller(request)
    content = _seen(user, id)
    since = timezone.now()
    with library_refusals():
        adapted = adapt_services.content_adapt(actor=user, content=content)
    return (201 if adapted.created_at >= since else 200), _content_detail(user, adapted.pk)


# --------------------------------------------------------------------------------------------- ratings, comments


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stars: int = Field(..., description="1 to 5.")


class RatingOut(Schema):
    content: int
    stars: int | None = Field(..., description="Her rating; null once removed.")
    rating_average: float | None
    rating_count: int


def _rating_answer(user: User, id: int) -> dict[str, Any]:
    content = _seen(user, id)
    rating: Rating | None = feedback_selectors.rating_of(user.pk, content)
    return {"content": content.pk, "stars": rating.stars if rating else None,
            "rating_average": _float(content.rating_average), "rating_count": content.rating_count}


@router.put("/library/contents/{id}/rating", response={200: RatingOut, **WRITE_ERRORS}, summary="Rate a content")
def set_rating(request: HttpRequest, payload: RatingIn, id: int = _id("Content id.")) -> dict[str, Any]:
    """One rating per teacher, changeable: a published content not hers (own: 409 `own_content`; a draft: 409
    `not_published`). A person without a current role: 403."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        feedback_services.rating_set(actor=user, content=content, stars=payload.stars)
    return _rating_answer(user, id)


@router.delete("/library/contents/{id}/rating", response={200: RatingOut, **WRITE_ERRORS},
               summary="Remove her rating")
def remove_rating(request: HttpRequest, id: int = _id("Content id.")) -> dict[str, Any]:
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        feedback_services.rating_remove(actor=user, content=content)
    return _rating_answer(user, id)


class CommentOut(Schema):
    id: int
    author: LibraryPerson
    body: str
    created_at: dt.datetime


class CommentPage(Page):
    items: list[CommentOut]


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(..., max_length=MAX_TEXT, description="At most 1,000 characters.")


def _comment(comment: Comment) -> dict[str, Any]:
    return {"id": comment.pk, "author": _person(comment.author), "body": comment.body,
            "created_at": _dhaka(comment.created_at)}


@router.get("/library/contents/{id}/comments", response={200: CommentPage, **ERRORS_404}, auth=PUBLIC_AUTH,
            openapi_extra=PUBLIC_OPENAPI, summary="Comments on a content (public when published)")
def list_comments(request: HttpRequest, params: Query[PageParams], id: int = _id("Content id.")) -> dict[str, Any]:
    """The comments people see (hidden ones left out), newest first."""
    content = _seen(caller_or_visitor(request), id)
    page = paginate(feedback_selectors.visible_comments(content), params)
    page["items"] = [_comment(c) for c in page["items"]]
    return page


@router.post("/library/contents/{id}/comments", response={201: CommentOut, **WRITE_ERRORS},
             summary="Comment on a content")
def add_comment(request: HttpRequest, payload: CommentIn, id: int = _id("Content id.")) -> tuple[int, dict[str, Any]]:
    """A person with a current role comments on a published content (a draft: 409 `not_published`)."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        comment = feedback_services.comment_add(actor=user, content=content, body=payload.body)
    return 201, _comment(comment)


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=20, description="copyright, wrong, abuse or other.")
    note: str = Field("", max_length=MAX_TEXT, description="What is wrong (needed for other), at most 1,000 "
                                                           "characters.")


class ReportOut(Schema):
    id: int
    content: int
    reason: Literal["copyright", "wrong", "abuse", "other"]
    note: str
    status: Literal["open", "upheld", "dismissed"]
    created_at: dt.datetime


@router.post("/library/contents/{id}/reports", response={201: ReportOut, **WRITE_ERRORS},
             summary="Report a problem with a content")
def report_content(request: HttpRequest, payload: ReportIn, id: int = _id("Content id.")) -> tuple[int, dict[str, Any]]:
    """Into the moderation queue of its area's mentors and officers. One open report per person per content (again:
    409 `already_reported`)."""
    user = caller(request)
    content = _seen(user, id)
    with library_refusals():
        report: Report = feedback_services.report_create(actor=user, content=content, reason=payload.reason,
                                                         note=payload.note)
    return 201, {"id": report.pk, "content": content.pk, "reason": report.reason, "note": report.note,
                 "status": report.status, "created_at": _dhaka(report.created_at)}

