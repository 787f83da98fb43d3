"""What teachers say about published contents: a rating (1–5, one per teacher, changeable), comments, and reports
of problems into the moderation queue of the content's area.

Who may (decided here, on top of `permissions.can_take_part`: a signed-in person with a current role):
- **rate**: a teacher or head teacher with a current school role — ratings are teachers' judgements and feed the
  weekly champions (decision 0012), and `rater_school_id` (her school now) lets the formula cap ratings from the
  author's own school; mentors judge through the review rubric instead, officers and researchers watch. Never her
  own content.
- **comment** and **report**: anyone with a current role (teachers, head teachers, mentors, officers, researchers,
  course authors). Pending teachers and people without a role are asked to wait for their role.
- Only a published content that is not hidden; anything else is refused with a sentence (the pages answer 404
  before that for what a person may not see).

Every write: keyword-only, checked here (PermissionDenied with a sentence for who may not; ValidationError with a
code for what is refused), atomic, notifications after commit. Counters on `Content` (rating_count, rating_sum,
rating_average) are recounted from the ratings in the same transaction, under a lock on the content's row
(PostgreSQL; SQLite serialises writers), so two teachers rating at once leave them exact."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core import ratelimit
from shikhon.core.bangla import format_number
from shikhon.core.text import clean_user_text
from shikhon.library import notifications_feedback, permissions
from shikhon.library.models import Comment, Content, Rating, Report
from shikhon.library.selectors.feedback import comments_url, content_url
from shikhon.notify.services import Tell, notifications_send_many
from shikhon.people.scope import K, user_scope
from shikhon.people.selectors import area_staff_ids, placement_of

if TYPE_CHECKING:
    from shikhon.people.models import User

COMMENT_MAX = 1000
NOTE_MAX = 1000
STARS = (1, 2, 3, 4, 5)
# Rate limits per person (core.ratelimit: fixed windows every process agrees on).
COMMENTS_PER_10_MINUTES = 5
COMMENTS_PER_DAY = 50
REPORTS_PER_HOUR = 10
RATINGS_PER_10_MINUTES = 30
# A double tap (the same words on the same content within this many seconds) is the comment already posted.
DOUBLE_TAP_SECONDS = 120
# Moderators told of a report: the mentors and officers of the content's upazila (people.Role kinds).
MODERATOR_KINDS = (K.MENTOR, K.UPAZILA_OFFICER)
MODERATORS_TOLD_MAX = 50


# ---------------------------------------------------------------- checks


def _refusal(field: str | None, message: str, code: str) -> ValidationError:
    if field is None:
        return ValidationError(message, code=code)
    return ValidationError({field: ValidationError(message, code=code)})


def _ensure_published(content: Content) -> None:
    if not content.is_published:
        raise _refusal(None, _("This content is not published, so it cannot be rated, commented on or reported "
                               "yet."), "not_published")


def _ensure_role(actor: User) -> None:
    if not permissions.can_take_part(actor):
        raise PermissionDenied(_("Only people with a confirmed role on Shikhon can do this. If you asked for a "
                                 "role, please wait until it is approved."))


def can_rate(actor: User | None, content: Content) -> bool:
    """A teacher or head teacher with a current school role, on a published content that is not hers."""
    scope = user_scope(actor)
    return (scope.user_id is not None and bool(scope.school_ids) and content.is_published
            and content.author_id != scope.user_id)


def _ensure_can_rate(actor: User, content: Content) -> None:
    _ensure_role(actor)
    _ensure_published(content)
    if content.author_id == actor.pk:
        raise _refusal("stars", _("This is your own content: others rate it, you cannot."), "own_content")
    if not user_scope(actor).school_ids:
        raise PermissionDenied(_("Only teachers and head teachers with a school role rate contents. Mentors give "
                                 "their view through the review."))


def _limited(key: str, limit: int, window_seconds: int) -> bool:
    """True when this person has used up the limit (the hit is counted)."""
    return not ratelimit.hit(key=key, limit=limit, window_seconds=window_seconds)


def _text(value: str | None, *, field: str, limit: int, required: str | None) -> str:
    text = clean_user_text(value or "", multiline=True).strip()
    if required is not None and not text:
        raise _refusal(field, required, "required")
    if len(text) > limit:
        raise _refusal(field, _("Write at most %(max)s characters here (it has %(count)s).")
                       % {"max": format_number(limit), "count": format_number(len(text))}, "max_length")
    return text


def parse_stars(value: object) -> int:
    """1–5 from a form or the API; anything else is refused with a sentence."""
    try:
        stars = int(str(value).strip())
    except (TypeError, ValueError):
        stars = 0
    if stars not in STARS:
        raise _refusal("stars", _("Choose from 1 to 5 stars."), "invalid_stars")
    return stars


# ---------------------------------------------------------------- ratings


def _recount(content: Content) -> None:
    """Recount the content's ratings into its row (the row is locked by the caller)."""
    totals = Rating.objects.filter(content_id=content.pk).aggregate(count=Count("pk"), total=Sum("stars"))
    count, total = totals["count"] or 0, totals["total"] or 0
    average = (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if count else None
    Content.objects.filter(pk=content.pk).update(rating_count=count, rating_sum=total, rating_average=average)
    content.rating_count, content.rating_sum, content.rating_average = count, total, average


def _lock(content: Content) -> None:
    """Take the content's row lock (PostgreSQL): rating writes on one content happen one after another, so each
    recount sees every rating committed before it. SQLite lets one writer at a time anyway."""
    list(Content.objects.select_for_update().filter(pk=content.pk).values_list("pk", flat=True))


def rating_set(*, actor: User, content: Content, stars: object) -> Rating:
    """Her rating of a content: made the first time, changed after (one row per teacher). The content's count,
    sum and average are recounted in the same transaction."""
    _ensure_can_rate(actor, content)
    value = parse_stars(stars)
    if _limited(f"library-rate:{actor.pk}", RATINGS_PER_10_MINUTES, 600):
        raise _refusal("stars", _("You have rated many contents just now. Please wait a few minutes."),
                       "rate_limited")
    school_id = placement_of(actor).school_id
    with transaction.atomic():
        _lock(content)
        rating = Rating.objects.filter(content_id=content.pk, rater_id=actor.pk).first()
        if rating is None:
            rating = Rating(content=content, rater=actor, stars=value, rater_school_id=school_id)
            rating.full_clean(validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    rating.save()
            except IntegrityError:  # her other tap won the race: change that row instead
                rating = Rating.objects.get(content_id=content.pk, rater_id=actor.pk)
        if rating.stars != value or rating.rater_school_id != school_id:
            rating.stars, rating.rater_school_id = value, school_id
            rating.full_clean(validate_unique=False, validate_constraints=False)
            rating.save(update_fields=["stars", "rater_school_id", "updated_at"])
        _recount(content)
    return rating


def rating_remove(*, actor: User, content: Content) -> bool:
    """Take back her rating; True when there was one. The counters are recounted."""
    _ensure_role(actor)
    with transaction.atomic():
        _lock(content)
        deleted, _rows = Rating.objects.filter(content_id=content.pk, rater_id=actor.pk).delete()
        if deleted:
            _recount(content)
    return bool(deleted)


# ---------------------------------------------------------------- comments


def _hour_key() -> int:
    return int(timezone.now().timestamp() // 3600)


def comment_add(*, actor: User, content: Content, body: str) -> Comment:
    """A comment (at most 1000 characters) on a published content. The author is told, at most once per content
    per clock hour. The same words sent twice within two minutes (a double tap) are the comment already posted."""
    _ensure_role(actor)
    _ensure_published(content)
    text = _text(body, field="body", limit=COMMENT_MAX, required=_("Write your comment first."))
    earlier = (Comment.objects.filter(content_id=content.pk, author_id=actor.pk, body=text, hidden_at__isnull=True,
                                      created_at__gte=timezone.now() - dt.timedelta(seconds=DOUBLE_TAP_SECONDS))
               .order_by("-pk").first())
    if earlier is not None:
        return earlier
    if (_limited(f"library-comment:{actor.pk}", COMMENTS_PER_10_MINUTES, 600)
            or _limited(f"library-comment-day:{actor.pk}", COMMENTS_PER_DAY, 86400)):
        raise _refusal("body", _("You have written many comments just now. Please wait a while before writing "
                                 "another."), "rate_limited")
    with transaction.atomic():
        comment = Comment(content=content, author=actor, body=text)
        comment.full_clean()
        comment.save()
        if content.author_id != actor.pk:
            tell = Tell(recipient_id=content.author_id, kind=notifications_feedback.COMMENTED,
                        event_key=f"library-comment:{content.pk}:{_hour_key()}",
                        params={"name": actor.display_name, "title": content.title}, url=comments_url(content))
            transaction.on_commit(lambda: notifications_send_many(tells=[tell]), robust=True)
    return comment


# ---------------------------------------------------------------- reports


def _moderator_ids(content: Content) -> list[int]:
    """The people holding a current mentor or upazila officer role over the content's upazila (one query)."""
    return area_staff_ids(kinds=MODERATOR_KINDS, upazila_id=content.upazila_id, exclude=content.author_id,
                          limit=MODERATORS_TOLD_MAX) if content.upazila_id is not None else []


def report_create(*, actor: User, content: Content, reason: str, note: str = "") -> Report:
    """A report of a problem with a published content, into its area's moderation queue (the report carries the
    content's place ids). One open report per person per content; the area's mentors and officers are told."""
    _ensure_role(actor)
    _ensure_published(content)
    if reason not in Report.Reason.values:
        raise _refusal("reason", _("Choose what is wrong with this content."), "invalid_reason")
    if content.author_id == actor.pk:
        raise _refusal(None, _("This is your own content: edit it instead of reporting it."), "own_content")
    required = _("Say what is wrong, so the moderator can look at it.") if reason == Report.Reason.OTHER else None
    text = _text(note, field="note", limit=NOTE_MAX, required=required)
    already = _("You have already reported this content. A moderator of its area will look at it.")
    if Report.objects.filter(content_id=content.pk, reporter_id=actor.pk, status=Report.Status.OPEN).exists():
        raise _refusal(None, already, "already_reported")
    if _limited(f"library-report:{actor.pk}", REPORTS_PER_HOUR, 3600):
        raise _refusal(None, _("You have sent many reports just now. Please wait an hour before sending another."),
                       "rate_limited")
    with transaction.atomic():
        report = Report(content=content, reporter=actor, reason=reason, note=text,
                        school_id=content.school_id, upazila_id=content.upazila_id,
                        district_id=content.district_id, division_id=content.division_id)
        report.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # the same report sent twice at once: the partial unique index decides
            raise _refusal(None, already, "already_reported") from None
        tells = [Tell(recipient_id=pk, kind=notifications_feedback.REPORTED, event_key=f"library-report:{report.pk}",
                      params={"title": content.title, "reason": reason}, url=content_url(content))
                 for pk in _moderator_ids(content)]
        if tells:
            transaction.on_commit(lambda: notifications_send_many(tells=tells), robust=True)
    return report
