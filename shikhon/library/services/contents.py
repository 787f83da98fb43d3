"""Writes of the contents part (decision 0012): a teacher makes a content, edits it, sends it for review and takes
it back before the review starts.

- `content_create`: a teacher or head teacher with a current school role; the content is placed at her school and
  area (`people.selectors.placement_of`), with version 1 as a draft.
- `content_update`: edits the latest version while it is a draft. When the latest version is published, replaced
  or sent back with changes requested, the edit is a **new version** (number + 1, a draft) that starts as a copy of
  the latest one — its fields and its files (the rows, not the bytes) — so what readers see never changes under
  them until a mentor publishes the new one. Waiting for or under review: refused with a sentence.
- `content_submit`: draft → submitted; the mentors of the content's upazila are told (else its district's).
- `content_withdraw`: submitted → draft, while no mentor has started the review.

Until a content is first published, the content's row copies the latest version's fields (lists, filters,
search); afterwards it keeps the published version's (the reviews part copies them when it publishes). Every
function checks permission itself (`permissions.ensure_can_edit`), validates, runs in one transaction with the
rows locked, and tells people after commit. Bad input is a `ValidationError` whose sentences say what to do;
nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.bangla import format_number
from shikhon.core.text import clean_user_text
from shikhon.library import markdown
from shikhon.library.models import Content, ContentVersion, Kind, Language, State, Subject, Topic
from shikhon.library.permissions import ensure_can_edit
from shikhon.library.registry_contents import CONTENT_SUBMITTED
from shikhon.library.selectors import curriculum
from shikhon.library.selectors.contents import EDITABLE, NEW_VERSION_FROM, mentors_to_tell
from shikhon.library.services.copying import copy_version_onto
from shikhon.library.services.files import files_copy_to
from shikhon.notify.services import Tell, notifications_send_many
from shikhon.people.selectors import placement_of

if TYPE_CHECKING:
    from shikhon.people.models import User

TITLE_MAX = 200
SUMMARY_MAX = 600
BODY_MAX = 20_000
EDITABLE_FIELDS = ("title", "summary", "body", "grade", "subject", "topic", "kind", "language")


# ---------------------------------------------------------------- checking what she wrote


@dataclass
class Fields:
    """What a version holds that the author writes: checked and cleaned by `_checked`."""

    title: str
    summary: str
    body: str
    grade: int
    subject: Subject
    topic: Topic | None
    kind: str
    language: str

    def differs_from(self, version: ContentVersion) -> bool:
        return any(getattr(self, name) != getattr(version, name) for name in
                   ("title", "summary", "body", "grade", "kind", "language")) or (
            self.subject.pk != version.subject_id or (self.topic.pk if self.topic else None) != version.topic_id)


def _too_long(what: str, limit: int, length: int) -> str:
    return _("%(what)s can be at most %(limit)s characters long; it has %(length)s. Please shorten it.") % {
        "what": what, "limit": format_number(limit), "length": format_number(length)}


def _checked(*, title: Any, summary: Any, body: Any, grade: Any, subject: Any, topic: Any, kind: Any,
             language: Any) -> Fields:
    """Every field checked at once, each refusal a sentence beside its field (all at once, so she fixes them in
    one go). Text is cleaned of hidden control characters first (ZWJ/ZWNJ stay: Bangla needs them)."""
    errors: dict[str, str] = {}
    title = clean_user_text(title) if isinstance(title, str) else ""
    summary = clean_user_text(summary, multiline=True) if isinstance(summary, str) else ""
    body = clean_user_text(body, multiline=True) if isinstance(body, str) else ""
    if not title:
        errors["title"] = _("Give the content a title: what teachers will look for, e.g. “Addition with sticks”.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _too_long(_("The title"), TITLE_MAX, len(title))
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = _too_long(_("The summary"), SUMMARY_MAX, len(summary))
    if len(body) > BODY_MAX:
        errors["body"] = _("The text can be at most %(limit)s characters long; it has %(length)s. Shorten it, or "
                           "attach the long part as a file.") % {"limit": format_number(BODY_MAX),
                                                                 "length": format_number(len(body))}
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in curriculum.GRADES:
        errors["grade"] = _("Choose a class from %(low)s to %(high)s.") % {
            "low": format_number(curriculum.GRADE_MIN), "high": format_number(curriculum.GRADE_MAX)}
        grade = None
    if not isinstance(subject, Subject) or subject.pk is None:
        errors["subject"] = _("Choose the subject from the list.")
        subject = None
    elif grade is not None and not curriculum.is_taught_in(subject, grade):
        errors["subject"] = _("%(subject)s is taught in classes %(low)s to %(high)s. Choose another subject or "
                              "class.") % {"subject": subject.name, "low": format_number(subject.grade_from),
                                           "high": format_number(subject.grade_to)}
    if topic is not None:
        if not isinstance(topic, Topic) or topic.pk is None:
            errors["topic"] = _("Choose the chapter or topic from the list.")
        elif subject is not None and grade is not None and not curriculum.topic_fits(
                topic, subject_id=subject.pk, grade=grade):
            errors["topic"] = _("This chapter or topic is not part of %(subject)s in class %(grade)s. Choose one "
                                "from the list, or leave it empty.") % {"subject": subject.name,
                                                                        "grade": format_number(grade)}
    if kind not in Kind.values:
        errors["kind"] = _("Choose what kind of content it is from the list.")
    if language not in Language.values:
        errors["language"] = _("Choose the language it is written in: Bangla or English.")
    if errors:
        raise ValidationError({name: ValidationError(message, code="invalid") for name, message in errors.items()})
    assert subject is not None and grade is not None
    return Fields(title=title, summary=summary, body=body, grade=grade, subject=subject, topic=topic, kind=kind,
                  language=language)


def _write(version: ContentVersion, fields: Fields) -> None:
    """Set a version's fields and its safe HTML (not saved)."""
    version.title, version.summary, version.body = fields.title, fields.summary, fields.body
    version.grade, version.subject, version.topic = fields.grade, fields.subject, fields.topic
    version.kind, version.language = fields.kind, fields.language
    version.body_html = markdown.render(fields.body)


def _placement_of_author(actor: User) -> Any:
    placement = placement_of(actor)
    if placement.school_id is None:
        # Contents are placed at the school she teaches at: someone without a current school role cannot make one.
        raise PermissionDenied
    return placement


# ---------------------------------------------------------------- create


@transaction.atomic
def content_create(*, actor: User, title: str, summary: str, body: str, grade: int, subject: Subject,
                   topic: Topic | None, kind: str, language: str) -> Content:
    """A new content by a teacher or head teacher, placed at her school and area; version 1, a draft."""
    placement = _placement_of_author(actor)
    fields = _checked(title=title, summary=summary, body=body, grade=grade, subject=subject, topic=topic, kind=kind,
                      language=language)
    version = ContentVersion(number=1, state=State.DRAFT, made_by=actor)
    _write(version, fields)
    content = Content(author=actor, state=State.DRAFT)
    content.place_at(placement)
    copy_version_onto(content, version)
    content.full_clean(exclude=["latest_version", "published_version"])
    content.save()
    version.content = content
    version.full_clean()
    version.save()
    content.latest_version = version
    content.save(update_fields=["latest_version", "updated_at"])
    return content


# ---------------------------------------------------------------- update


def _locked(content: Content) -> tuple[Content, ContentVersion]:
    """The content and its latest version, locked for this transaction (a concurrent edit, review or submission
    waits), read again so the decision is made on what is stored now."""
    locked = Content.objects.select_for_update().get(pk=content.pk)
    latest = (ContentVersion.objects.select_for_update(of=("self",)).filter(content_id=locked.pk).order_by("-number")
              .select_related("subject", "topic").first())
    if latest is None:  # a content always has a version; a broken row is not edited
        raise ValidationError(_("This content has no version to edit. Please make a new content."),
                              code="no_version")
    return locked, latest


def _waiting_sentence(state: str) -> str:
    if state == State.UNDER_REVIEW:
        return _("A mentor is reviewing this content now. You can change it after the review.")
    return _("This content is waiting for review. Take it back first (“Withdraw”), then change it.")


def _follow(content: Content, latest: ContentVersion) -> list[str]:
    """The content's row after a change of its latest version: its state, and (until first published) the
    latest version's fields. Answers the fields to save."""
    content.state = latest.state
    content.latest_version = latest
    update = ["state", "latest_version", "updated_at"]
    if content.published_version_id is None:
        update += [name for name in copy_version_onto(content, latest) if name not in update]
    return update


@transaction.atomic
def content_update(*, actor: User, content: Content, **changes: Any) -> Content:
    """Change what she wrote. A draft is edited in place; a published, replaced or sent-back latest version
    gets a new version (a draft copy of it, files included) that holds the change. Nothing changed: nothing
    stored. Fields not given keep their values."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"content_update() got unexpected fields: {sorted(unknown)}")
    ensure_can_edit(actor, content)
    content, latest = _locked(content)
    ensure_can_edit(actor, content)
    if latest.state not in EDITABLE and latest.state not in NEW_VERSION_FROM:
        raise ValidationError(_waiting_sentence(latest.state), code="waiting_for_review")
    current = {name: getattr(latest, name) for name in EDITABLE_FIELDS}
    fields = _checked(**{**current, **changes})
    if not fields.differs_from(latest):
        return content
    if latest.state in EDITABLE:
        version = latest
    else:
        version = ContentVersion(content=content, number=latest.number + 1, state=State.DRAFT, made_by=actor)
    _write(version, fields)
    version.full_clean(validate_constraints=False)
    version.save()
    if version.pk != latest.pk:
        files_copy_to(source=latest, target=version)  # the files part's: rows copied, bytes shared
    update = _follow(content, version)
    content.full_clean(exclude=["latest_version", "published_version"])
    content.save(update_fields=update)
    return content


# ---------------------------------------------------------------- submit, withdraw


@transaction.atomic
def content_submit(*, actor: User, content: Content) -> Content:
    """Her draft goes to review: the mentors of the content's upazila are told (else its district's)."""
    ensure_can_edit(actor, content)
    content, latest = _locked(content)
    ensure_can_edit(actor, content)
    if latest.state != State.DRAFT:
        if latest.state in (State.SUBMITTED, State.UNDER_REVIEW):
            raise ValidationError(_("This content was sent for review already."), code="already_submitted")
        raise ValidationError(_("There is no new draft to send. Change the content first: your change becomes a "
                                "new version you can send."), code="nothing_to_submit")
    now = timezone.now()
    latest.state, latest.submitted_at = State.SUBMITTED, now
    latest.save(update_fields=["state", "submitted_at"])
    content.save(update_fields=_follow(content, latest))
    _tell_mentors(content, latest, actor)
    return content


def _tell_mentors(content: Content, version: ContentVersion, actor: User) -> None:
    mentors = mentors_to_tell(content)
    if not mentors:
        return
    params = {"name": actor.display_name, "title": version.title}
    key, url = f"library-submitted:{version.pk}", content.get_absolute_url()
    transaction.on_commit(lambda: notifications_send_many(tells=[
        Tell(recipient_id=pk, kind=CONTENT_SUBMITTED, event_key=key, params=params, url=url) for pk in mentors]))


@transaction.atomic
def content_withdraw(*, actor: User, content: Content) -> Content:
    """She takes back a content she sent for review, while no mentor has started reviewing it."""
    ensure_can_edit(actor, content)
    content, latest = _locked(content)
    ensure_can_edit(actor, content)
    if latest.state == State.UNDER_REVIEW:
        raise ValidationError(_("A mentor has started reviewing this content, so it cannot be taken back now. "
                                "You can change it after the review."), code="under_review")
    if latest.state != State.SUBMITTED:
        raise ValidationError(_("This content is not waiting for review, so there is nothing to take back."),
                              code="not_submitted")
    latest.state, latest.submitted_at = State.DRAFT, None
    latest.save(update_fields=["state", "submitted_at"])
    content.save(update_fields=_follow(content, latest))
    return content
