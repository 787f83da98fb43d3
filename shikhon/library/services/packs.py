"""Offline packs (decision 0012): an officer asks for a pack (by class, subject or model contents); a task builds
one zip of the published contents that match — a static Bangla index that works opened from a USB stick, a page per
content, the files and previews, a manifest with the sha256 of every file — and keeps it in storage.

`pack_request` is the one write of the form (checked, bounded, placed at the officer's area, the build queued after
commit); `pack_build` is what the task runs: idempotent and safe to retry (a rebuilt pack replaces its file)."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.library import pack_build as zip_writer
from shikhon.library.models import OfflinePack, Subject
from shikhon.library.permissions import ensure_can_build_packs
from shikhon.library.registry_packs import PACK_REQUESTED
from shikhon.library.selectors import packs as selectors
from shikhon.people.scope import user_scope
from shikhon.places.selectors import district_get, upazila_get

if TYPE_CHECKING:
    from shikhon.people.models import User

logger = logging.getLogger(__name__)

MAX_CONTENTS = 2000
MAX_BYTES = 2 * 1024**3  # 2 GB: what a cheap USB stick (FAT32: 4 GB a file) and a school's laptop take
PROGRESS_EVERY = 20  # contents between two progress writes (one UPDATE each)
# A build that has written no progress for this long is taken to have died (its worker stopped): another run of
# the task may take the pack over. Until then a second run (the task queued twice, a retry) leaves it alone.
STALE_AFTER = timedelta(minutes=10)


def _area_of(actor: User) -> dict[str, int | None]:
    """Where an officer's pack is placed: the area of his office (the first, when he holds several); a national
    admin's pack is placed nowhere (national)."""
    scope = user_scope(actor)
    place: dict[str, int | None] = {"school_id": None, "upazila_id": None, "district_id": None, "division_id": None}
    if scope.is_national_admin:
        return place
    if scope.officer_upazila_ids:
        upazila = upazila_get(min(scope.officer_upazila_ids))
        if upazila is not None:
            place.update(upazila_id=upazila.pk, district_id=upazila.district_id, division_id=upazila.division_id)
    elif scope.officer_district_ids:
        district = district_get(min(scope.officer_district_ids))
        if district is not None:
            place.update(district_id=district.pk, division_id=district.division_id)
    elif scope.officer_division_ids:
        place.update(division_id=min(scope.officer_division_ids))
    return place


def _check_bounds(count: int, size: int) -> None:
    if count == 0:
        raise ValidationError(_("No published content matches this choice. Choose another class or subject."))
    if count > MAX_CONTENTS:
        raise ValidationError(
            _("%(count)s contents match; a pack holds at most %(max)s. Choose a class and a subject together.")
            % {"count": count, "max": MAX_CONTENTS})
    if size > MAX_BYTES:
        raise ValidationError(
            _("These contents' files come to %(size)s MB; a pack holds at most %(max)s MB. "
              "Choose a class and a subject together.")
            % {"size": size // 1024**2, "max": MAX_BYTES // 1024**2})


@transaction.atomic
def pack_request(*, actor: User, title: str, grade: int | None = None, subject: Subject | None = None,
                 model_only: bool = False) -> OfflinePack:
    """Ask for a pack: area officers and national admins only; at least one filter (class, subject or model
    contents only); one pack waiting or being built per officer at a time; the matching contents within the
    bounds. The build task is queued after commit."""
    ensure_can_build_packs(actor)
    title = (title or "").strip()
    if grade is None and subject is None and not model_only:
        raise ValidationError(_("Choose a class, a subject or model contents only, so the pack is not the whole "
                                "library."))
    if grade is not None and not 1 <= grade <= 10:
        raise ValidationError({"grade": _("Choose a class from 1 to 10.")})
    if subject is not None and grade is not None and not subject.grade_from <= grade <= subject.grade_to:
        raise ValidationError({"subject": _("%(subject)s is not taught in class %(grade)s.")
                               % {"subject": subject.name, "grade": grade}})
    # One at a time per officer: the row lock of the person keeps two quick posts from both passing.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if OfflinePack.objects.filter(created_by=actor, status__in=[OfflinePack.Status.QUEUED,
                                                              OfflinePack.Status.BUILDING]).exists():
        raise ValidationError(_("Your previous pack is still being built. Wait until it is ready, then ask for "
                                "the next one."))
    count, size = selectors.pack_selection_size(grade=grade, subject_id=subject.pk if subject else None,
                                                model_only=model_only)
    _check_bounds(count, size)
    pack = OfflinePack(title=title, grade=grade, subject=subject, model_only=model_only, created_by=actor,
                       progress_total=count, **_area_of(actor))
    pack.full_clean()
    pack.save()
    audit_record(actor=actor, action=PACK_REQUESTED, target=pack, summary=title,
                 details={"grade": grade, "subject": subject.code if subject else None, "model_only": model_only,
                          "contents": count})
    from shikhon.library.tasks_packs import pack_build_task

    pack_id = pack.pk
    transaction.on_commit(lambda: pack_build_task.enqueue(pack_id=pack_id))
    return pack


def _claim(pack_id: int) -> tuple[OfflinePack, str] | None:
    """Take the pack for this build: from any state but `building` (a retry after a failure, a rebuild of a ready
    pack), or from a build silent for STALE_AFTER (its worker died). Returns the pack and this build's token, which
    every later write of the build names, or None when the pack is gone or another build holds it."""
    now = timezone.now()
    token = secrets.token_hex(16)
    updated = (OfflinePack.objects.filter(pk=pack_id)
               .filter(~Q(status=OfflinePack.Status.BUILDING) | Q(heartbeat_at__isnull=True)
                       | Q(heartbeat_at__lt=now - STALE_AFTER))
               .update(status=OfflinePack.Status.BUILDING, progress_done=0, error="", build_token=token,
                       heartbeat_at=now))
    if not updated:
        return None
    return OfflinePack.objects.select_related("subject").get(pk=pack_id), token


def _fail(pack_id: int, token: str, message: str) -> None:
    OfflinePack.objects.filter(pk=pack_id, build_token=token).update(
        status=OfflinePack.Status.FAILED, error=message[:300], finished_at=timezone.now())


def pack_build(pack_id: int) -> OfflinePack | None:
    """Build (or build again) the pack's zip: select the contents, write the zip to a temporary file, store it
    under a name we choose, then point the row at it and remove the file it had before. A failure leaves the
    row `failed` with a sentence and any file it had before untouched; running it again is safe. While another
    build holds the pack (the task queued twice), this one builds nothing and returns the pack as it is; a build
    whose pack was taken over (it went silent for STALE_AFTER) writes nothing and removes its own file. None when
    the pack is gone."""
    claimed = _claim(pack_id)
    if claimed is None:
        return OfflinePack.objects.filter(pk=pack_id).first()
    pack, token = claimed
    mine = OfflinePack.objects.filter(pk=pack_id, build_token=token)
    filters: dict[str, Any] = {"grade": pack.grade, "subject_id": pack.subject_id, "model_only": pack.model_only}
    count, size = selectors.pack_selection_size(**filters)
    try:
        _check_bounds(count, size)
    except ValidationError as error:
        _fail(pack_id, token, " ".join(error.messages))
        return OfflinePack.objects.get(pk=pack_id)
    mine.update(progress_total=count)

    def progress(done: int) -> None:
        mine.update(progress_done=done, heartbeat_at=timezone.now())

    try:
        built = zip_writer.write_pack(pack=pack, contents=selectors.pack_contents(**filters), total=count,
                                      max_bytes=MAX_BYTES, progress=progress, every=PROGRESS_EVERY)
    except zip_writer.PackTooLarge:
        _fail(pack_id, token, _("The files came to more than %(max)s MB while the pack was built. Choose a class "
                                "and a subject together.") % {"max": MAX_BYTES // 1024**2})
        return OfflinePack.objects.get(pk=pack_id)
    except zip_writer.MissingFile as missing:
        _fail(pack_id, token, _("A file of “%(title)s” could not be read from storage. Ask the technical team, "
                                "then build the pack again.") % {"title": missing.title[:120]})
        return OfflinePack.objects.get(pk=pack_id)
    except Exception:
        logger.exception("offline pack %s could not be built", pack_id)
        _fail(pack_id, token, _("The pack could not be built. Try again later; if it fails again, ask the "
                                "technical team."))
        return OfflinePack.objects.get(pk=pack_id)
    try:
        with built.file:
            name = default_storage.save(f"packs/{timezone.now():%Y/%m}/pack-{pack_id}-{built.sha256[:12]}.zip",
                                        built.file)
    except OSError:
        logger.exception("offline pack %s could not be stored", pack_id)
        _fail(pack_id, token, _("The pack could not be stored. Try again later; if it fails again, ask the "
                                "technical team."))
        return OfflinePack.objects.get(pk=pack_id)
    old = mine.values_list("file", flat=True).first()
    finished = mine.update(
        status=OfflinePack.Status.READY, file=name, size=built.size, sha256=built.sha256, progress_done=built.count,
        progress_total=built.count, finished_at=timezone.now(), error="")
    if not finished:  # another build took the pack over while this one was silent: its file is the pack's
        logger.warning("offline pack %s was taken over by another build; this build's file is removed", pack_id)
        old = name
    if old and old != OfflinePack.objects.filter(pk=pack_id).values_list("file", flat=True).first():
        try:
            default_storage.delete(old)
        except OSError:  # a file left behind is harmless; the row points at the new one
            logger.warning("offline pack %s: the old file %s was not removed", pack_id, old)
    return OfflinePack.objects.filter(pk=pack_id).first()
