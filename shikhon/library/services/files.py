"""Files attached to a content's version (decision 0012): added by the author to her latest version while it is a
draft, checked by the shared upload checks (`core.uploads`, use `library_file`: type from the bytes, pictures
re-encoded, PDFs rewritten by PDFium, Office files inspected as archives with macros refused, sound and video
probed by ffmpeg), stored under names we choose with their size and SHA-256; previews made afterwards by a task
(`tasks_files.file_preview_task`, enqueued on commit). A new version copies the rows, not the bytes."""

from __future__ import annotations

import hashlib
import logging
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile as BytesFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_number
from shikhon.core.uploads import AUDIO, PICTURES, VIDEOS, check_upload
from shikhon.library import previews
from shikhon.library.models import ContentFile, ContentVersion, State
from shikhon.library.permissions import can_edit
from shikhon.library.registry_files import FILE_ADDED, FILE_REMOVED

if TYPE_CHECKING:
    from django.core.files import File

    from shikhon.library.models import Content
    from shikhon.people.models import User

log = logging.getLogger(__name__)

MAX_FILES = 10
UPLOAD_USE = "library_file"
PREVIEW_FOLDER = "library/previews"

TOO_MANY = _("A version holds at most %(count)s files. Remove one before adding another.")


def file_kind_of(kind: str) -> str:
    """Our kind of file (`ContentFile.FileKind`) for a kind `core.uploads` read from the bytes."""
    if kind == "pdf":
        return ContentFile.FileKind.PDF
    if kind == "pptx":
        return ContentFile.FileKind.SLIDES
    if kind == "docx":
        return ContentFile.FileKind.DOCUMENT
    if kind in PICTURES:
        return ContentFile.FileKind.PICTURE
    if kind in AUDIO:
        return ContentFile.FileKind.AUDIO
    if kind in VIDEOS:
        return ContentFile.FileKind.VIDEO
    raise ValueError(kind)


def _previewed(file_kind: str) -> bool:
    return file_kind != ContentFile.FileKind.AUDIO


def editable_version(actor: User, content: Content) -> ContentVersion:
    """The version her files go on: the latest, hers, while it is a draft (a sent-back or published content is
    edited as a new draft version, made by the contents part). Anything else: PermissionDenied."""
    if not can_edit(actor, content):
        raise PermissionDenied
    version = content.latest_version
    if version is None or version.state != State.DRAFT:
        raise PermissionDenied
    return version


def may_change_files(actor: User, content: Content) -> bool:
    try:
        editable_version(actor, content)
    except PermissionDenied:
        return False
    return True


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _client_name(upload: object) -> str:
    name = Path(str(getattr(upload, "name", "") or "")).name.strip()
    return name[:200] or "file"


def content_file_add(*, actor: User, content: Content, upload: File) -> ContentFile:
    """Attach `upload` to the latest (draft) version of her content. The file is checked before anything is
    stored; a refusal (`core.uploads.UploadRefused`) or an eleventh file (ValidationError) stores nothing."""
    version = editable_version(actor, content)
    if version.files.count() >= MAX_FILES:  # early, before reading a big file
        raise ValidationError(TOO_MANY, code="too_many_files", params={"count": format_number(MAX_FILES)})
    checked = check_upload(use=UPLOAD_USE, file=upload)
    file_kind = file_kind_of(checked.kind)
    sha256 = _sha256(checked.file)
    row = ContentFile(version=version, file_kind=file_kind, original_name=_client_name(upload), size=checked.size,
                      sha256=sha256, content_type=checked.content_type,
                      preview_state=ContentFile.Preview.PENDING if _previewed(file_kind) else ContentFile.Preview.NONE)
    stored = ""
    try:
        with transaction.atomic():
            locked = ContentVersion.objects.select_for_update().get(pk=version.pk)
            if locked.state != State.DRAFT:
                raise PermissionDenied
            if locked.files.count() >= MAX_FILES:
                raise ValidationError(TOO_MANY, code="too_many_files", params={"count": format_number(MAX_FILES)})
            row.position = (locked.files.aggregate(last=Max("position"))["last"] or 0) + 1
            checked.file.seek(0)
            row.file.save(checked.filename(f"c{content.pk}-{secrets.token_hex(8)}"), checked.file, save=False)
            stored = row.file.name or ""
            row.save()
            audit_record(actor=actor, action=FILE_ADDED, target=content,
                         details={"file": row.pk, "version": version.number, "kind": file_kind, "size": row.size,
                                  "sha256": sha256})
            if row.preview_state == ContentFile.Preview.PENDING:
                pk = row.pk
                transaction.on_commit(lambda: _enqueue_preview(pk))
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return row


def _enqueue_preview(file_id: int) -> None:
    from shikhon.library.tasks_files import file_preview_task

    file_preview_task.enqueue(file_id=file_id)


def _names_of(file: ContentFile) -> list[str]:
    return [name for name in [file.file.name or "", *file.preview_pages] if name]


def content_file_remove(*, actor: User, file: ContentFile) -> None:
    """Take a file off her draft version. The bytes (and previews) go once no other version's row refers to them
    (versions share stored files)."""
    content = file.version.content
    version = editable_version(actor, content)
    if file.version_id != version.pk:
        raise PermissionDenied
    names = _names_of(file)
    with transaction.atomic():
        ContentVersion.objects.select_for_update().get(pk=version.pk)
        file_pk = file.pk
        file.delete()
        audit_record(actor=actor, action=FILE_REMOVED, target=content,
                     details={"file": file_pk, "version": version.number, "name": file.original_name})
        if file.file.name and not ContentFile.objects.filter(file=file.file.name).exists():
            transaction.on_commit(lambda: _delete_stored(names))


def _delete_stored(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - a missing file is already gone
            log.warning("library: could not delete %s", name)


def files_copy_to(*, source: ContentVersion, target: ContentVersion) -> list[ContentFile]:
    """Copy the rows of `source`'s files onto `target` (a new version, an adaptation): the same stored bytes,
    previews and video, in the same order. No permission check: the contents and feedback services call it
    after theirs."""
    room = MAX_FILES - target.files.count()
    rows = [ContentFile(version=target, position=file.position, file_kind=file.file_kind, file=file.file.name,
                        original_name=file.original_name, size=file.size, sha256=file.sha256,
                        content_type=file.content_type, preview_state=file.preview_state,
                        preview_pages=list(file.preview_pages), video_id=file.video_id)
            for file in source.files.order_by("position", "pk")[:max(room, 0)]]
    return ContentFile.objects.bulk_create(rows)


# ---------------------------------------------------------------- previews (run by the task)

def _preview_name(file: ContentFile, index: int, data: bytes) -> str:
    """Our name for a preview picture, holding its size (the page draws it with width and height)."""
    width, height = previews.picture_size(data)
    stem = Path(file.file.name or f"f{file.pk}").stem
    return f"{PREVIEW_FOLDER}/{stem}-p{index + 1}-{secrets.token_hex(3)}-{width}x{height}.webp"


def preview_size(name: str) -> tuple[int, int] | None:
    """The width and height a preview's name holds (see `_preview_name`)."""
    tail = Path(name).stem.rsplit("-", 1)[-1]
    width, _sep, height = tail.partition("x")
    if width.isdigit() and height.isdigit():
        return int(width), int(height)
    return None


def _local_copy(name: str, folder: Path, suffix: str) -> Path:
    path = folder / f"source{suffix}"
    with default_storage.open(name, "rb") as stored, path.open("wb") as out:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            out.write(chunk)
    return path


def _make_pictures(file: ContentFile, folder: Path) -> list[bytes] | None:
    """The preview pictures of one file; None when there is nothing to make it with (no LibreOffice)."""
    name = file.file.name or ""
    if file.file_kind == ContentFile.FileKind.PDF:
        with default_storage.open(name, "rb") as stored:
            return previews.pdf_pages(stored.read())
    if file.file_kind == ContentFile.FileKind.PICTURE:
        with default_storage.open(name, "rb") as stored:
            return [previews.picture_preview(stored.read())]
    if file.file_kind in (ContentFile.FileKind.SLIDES, ContentFile.FileKind.DOCUMENT):
        if previews.soffice_path() is None:
            return None
        pdf = previews.office_to_pdf(_local_copy(name, folder, Path(name).suffix))
        return None if pdf is None else previews.pdf_pages(pdf)
    return None


def _make_video(file: ContentFile, folder: Path) -> None:
    """A video through media's pipeline (240p first, a 360p variant, a poster), as a ready media video."""
    from django.core.files import File as DjangoFile

    from shikhon.media.services import video_create_from_files, video_variants_make

    name = file.file.name or ""
    made = video_variants_make(original=_local_copy(name, folder, Path(name).suffix), folder=folder)
    handles = {field: path.open("rb") for field, path in made.files.items()}
    try:
        video = video_create_from_files(
            title=Path(file.original_name).stem or file.original_name, uploaded_by=file.version.content.author,
            files={field: DjangoFile(handle, name=made.files[field].name) for field, handle in handles.items()},
            original_name=file.original_name, duration_seconds=made.duration_seconds, width=made.width,
            height=made.height)
    finally:
        for handle in handles.values():
            handle.close()
    ContentFile.objects.filter(file=name, video__isnull=True).update(video=video,
                                                                     preview_state=ContentFile.Preview.READY)


def _reload(file_id: int) -> ContentFile | None:
    return ContentFile.objects.filter(pk=file_id).first()


def file_preview_make(*, file_id: int) -> ContentFile | None:
    """Make (once) the previews of a file: stored pictures whose names go in `preview_pages` (and onto every row
    sharing the same bytes), or the video through media. No LibreOffice for an Office file: state NONE, no error;
    a file that cannot be rendered: FAILED. None when the row is gone."""
    file = ContentFile.objects.select_related("version__content").filter(pk=file_id).first()
    if file is None or file.preview_state != ContentFile.Preview.PENDING or not file.file.name:
        return file
    name = file.file.name
    with tempfile.TemporaryDirectory(prefix="shikhon-preview-") as tmp:
        try:
            if file.file_kind == ContentFile.FileKind.VIDEO:
                _make_video(file, Path(tmp))
                return _reload(file_id)
            pictures = _make_pictures(file, Path(tmp))
        except (previews.PreviewError, ValueError, OSError, ValidationError) as exc:
            log.warning("library: no preview for file %s: %s", file_id, exc)
            ContentFile.objects.filter(file=name, preview_state=ContentFile.Preview.PENDING).update(
                preview_state=ContentFile.Preview.FAILED)
            return _reload(file_id)
    if pictures is None:
        ContentFile.objects.filter(file=name, preview_state=ContentFile.Preview.PENDING).update(
            preview_state=ContentFile.Preview.NONE)
        return _reload(file_id)
    saved = [default_storage.save(_preview_name(file, index, data), BytesFile(data))
             for index, data in enumerate(pictures)]
    updated = ContentFile.objects.filter(file=name, preview_state=ContentFile.Preview.PENDING).update(
        preview_state=ContentFile.Preview.READY, preview_pages=saved)
    if not updated:  # made meanwhile by another run, or the file was removed
        _delete_stored(saved)
    return _reload(file_id)


__all__ = ["MAX_FILES", "content_file_add", "content_file_remove", "editable_version", "file_kind_of",
           "file_preview_make", "files_copy_to", "may_change_files", "preview_size"]
