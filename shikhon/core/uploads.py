"""One way in for every file a person gives us (decision 0007).

Every place that accepts a file — the authoring forms, course package import, the school list, the API,
later apps — calls `check_upload(use=…, file=…)` *after* its service has decided that this person may
upload. The check decides nothing about permission; it answers what the file is and what to store:

- the type is read from the bytes (puremagic, header and footer) against the use's allow-list; the
  client's name and Content-Type are never trusted, and the stored extension is ours;
- each use has a size limit (from settings where one exists);
- pictures are fully decoded and re-encoded with Pillow: metadata stripped, turned upright, bounded in
  size, a decompression-bomb guard first — bytes appended after a picture cannot survive;
- PDFs must open in PDFium and render their first page; they are written out again by PDFium (bytes
  outside the document go), and documents with scripts are refused;
- videos must be read and decoded by ffmpeg; captions must be WebVTT in UTF-8;
- archives (course packages, .xlsx) are inspected: no unsafe names, links, encryption, zip bombs.

A refusal is an `UploadRefused` (a ValidationError) holding one sentence in the reader's language and a
code; nothing is stored by the check itself.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import tempfile
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shikhon.core import ffmpeg
from shikhon.core.bangla import format_number

MB = 1024 * 1024
# Pictures: refuse before decoding anything bigger than this (a 50 MP phone photo still fits).
DEFAULT_MAX_PIXELS = 50_000_000
PDF_MAX_PAGES = 200
PDF_PREVIEW_SIDE = 200  # the first page is rendered this big to prove it renders
HEAD_BYTES = 8192
MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|a\s|div|meta|xsl)",
                    re.IGNORECASE)

# What we call each type we know: content type and the extension we give the stored file.
KINDS: dict[str, tuple[str, str]] = {
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "webp": ("image/webp", "webp"),
    "gif": ("image/gif", "gif"),
    "pdf": ("application/pdf", "pdf"),
    "mp4": ("video/mp4", "mp4"),
    "mov": ("video/quicktime", "mov"),
    "webm": ("video/webm", "webm"),
    "mkv": ("video/x-matroska", "mkv"),
    "zip": ("application/zip", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv", "csv"),
    "vtt": ("text/vtt", "vtt"),
    # The teachers' library (issue 12): Office files, and sound.
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "mp3": ("audio/mpeg", "mp3"),
    "m4a": ("audio/mp4", "m4a"),
    "ogg": ("audio/ogg", "ogg"),
    "wav": ("audio/wav", "wav"),
}
PICTURES = frozenset({"png", "jpeg", "webp", "gif"})
VIDEOS = frozenset({"mp4", "mov", "webm", "mkv"})
AUDIO = frozenset({"mp3", "m4a", "ogg", "wav"})
OFFICE = frozenset({"docx", "pptx"})  # OOXML zips; told apart by their parts, never by the name
# puremagic's extension → our kind. Anything else is a kind we do not take ("other").
_BY_EXTENSION: dict[str, str] = {
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".jfif": "jpeg", ".jpe": "jpeg", ".webp": "webp",
    ".gif": "gif", ".pdf": "pdf", ".mp4": "mp4", ".m4v": "mp4", ".3gp": "mp4", ".3g2": "mp4", ".3ga": "mp4",
    ".mov": "mov", ".qt": "mov", ".webm": "webm", ".mkv": "mkv",
    ".zip": "zip", ".xlsx": "zip", ".docx": "zip", ".pptx": "zip", ".xlsb": "zip", ".xltm": "zip", ".jar": "zip",
    ".odt": "zip", ".ods": "zip", ".epub": "zip", ".apk": "zip",
    ".svg": "svg", ".svgz": "svg", ".html": "html", ".htm": "html", ".xhtml": "html", ".xml": "xml",
    ".vtt": "vtt", ".doc": "ole", ".xls": "ole", ".ppt": "ole",
    ".mp3": "mp3", ".m4a": "m4a", ".ogg": "ogg", ".oga": "ogg", ".wav": "wav",
}


class UploadRefused(ValidationError):
    """A file we do not take: `messages[0]` is the sentence to show, `code` says why. `text` and `params`
    let a caller that shows the sentence later (a report) render it in the reader's language then."""

    def __init__(self, message: str, code: str, *, text: Promise | str = "",
                 params: Mapping[str, object] | None = None) -> None:
        super().__init__(message, code=code)
        self.text = text or message
        self.params: dict[str, object] = dict(params or {})


# ------------------------------------------------------------------------------------------- the uses

def _setting(name: str, default: int) -> Callable[[], int]:
    """A size limit from settings; 0 there means no limit, as for the video and package limits before."""
    return lambda: int(getattr(settings, name, default))


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_unpacked: Callable[[int], int]  # the packed size → the most the members may hold together
    max_ratio: int | None = None        # a member expanding more than this many times is refused …
    ratio_exempt_bytes: int = MB        # … unless it is this small (short JSON compresses very well)


@dataclass(frozen=True)
class UploadUse:
    """What one place takes: kinds, size, what pictures become, and its own wording where it needs one."""

    name: str
    kinds: frozenset[str]
    max_bytes: Callable[[], int]
    wrong_type: Promise
    types_text: Promise  # e.g. "PDF, PNG or JPEG", for sentences that name what is wanted
    picture_max_side: int = 2000
    reencode_as: Mapping[str, str] = field(default_factory=dict)  # picture kind → kind to store it as
    archive: ArchiveLimits | None = None
    messages: Mapping[str, Promise] = field(default_factory=dict)  # code → sentence, instead of the default
    # Limits per kind (read from the bytes) below `max_bytes`, for uses that take many kinds (the library).
    kind_max_bytes: Mapping[str, int] = field(default_factory=dict)


USES: dict[str, UploadUse] = {}


def register_use(use: UploadUse) -> UploadUse:
    """Apps add their own uses (from AppConfig.ready or at import); one name, one use."""
    USES[use.name] = use
    return use


_PACKAGE_MESSAGES: dict[str, Promise] = {
    "wrong_type": _("The file is not a course package: a course package is a .zip file exported from Shikhon."),
    "too_big": _("The package is larger than %(limit)s MB, the limit on this server."),
    "unpacked_too_big": _("The package unpacks to more than %(limit)s MB, the limit on this server."),
    "unsafe_name": _("The package holds a file with an unsafe name (%(name)s). Nothing was imported."),
    "link": _("The package holds a link (%(name)s) instead of a file. Nothing was imported."),
    "encrypted": _("The package holds an encrypted file (%(name)s)."),
    "duplicate": _("The package holds two files named %(name)s."),
    "too_many": _("The package holds more than %(count)s files."),
    "ratio": _("The file %(name)s in the package is compressed suspiciously well (more than %(ratio)s times). "
               "Nothing was imported."),
}
_EXCEL_DAMAGED = _("The Excel file could not be read; it may be damaged. Open it in Excel or LibreOffice, save it "
                   "again as .xlsx and upload it again.")
_SCHOOL_LIST_MESSAGES: dict[str, Promise] = {
    "too_big": _("The file is larger than %(limit)s MB. Split the list into smaller files and import them one "
                 "after another."),
    "empty": _("The file is empty. Upload the school list with a header row and one row per school."),
    "old_excel": _("Old Excel files (.xls) cannot be read. Open the file in Excel, save it as .xlsx or as CSV UTF-8, "
                   "and upload it again."),
    "binary_text": _("This file is not a CSV text file. Save the list as “CSV UTF-8” or as an Excel .xlsx file and "
                     "upload it again."),
    **dict.fromkeys(("unpacked_too_big", "unsafe_name", "link", "encrypted", "duplicate", "too_many", "ratio",
                     "archive_damaged"), _EXCEL_DAMAGED),
}

register_use(UploadUse(
    name="sheet", kinds=frozenset({"pdf", "png", "jpeg"}), max_bytes=_setting("SHIKHON_SHEET_MAX_BYTES", 10 * MB),
    wrong_type=_("The sheet must be a PDF, PNG or JPEG file. Save it in one of these formats and upload it again."),
    types_text=_("PDF, PNG or JPEG"), picture_max_side=2480,  # A4 at 300 dpi
    messages={"too_big": _("The sheet is larger than %(limit)s MB. Please upload a smaller file.")},
))
register_use(UploadUse(
    name="question_picture", kinds=frozenset({"png", "jpeg", "webp"}),
    max_bytes=_setting("SHIKHON_PICTURE_MAX_BYTES", 2 * MB),
    wrong_type=_("This file is not a picture we can show. Upload a PNG, JPEG or WebP picture."),
    types_text=_("PNG, JPEG or WebP"), picture_max_side=1600,
    messages={"too_big": _("The picture is larger than %(limit)s MB. Please upload a smaller picture.")},
))
register_use(UploadUse(
    # practice: one photo of the board or the learners' work with a practice record (faces not needed).
    name="practice_photo", kinds=frozenset({"png", "jpeg", "webp"}), max_bytes=lambda: 5 * MB,
    wrong_type=_("This file is not a photo we can show. Upload a JPEG, PNG or WebP photo."),
    types_text=_("JPEG, PNG or WebP"), picture_max_side=1600, reencode_as={"png": "jpeg"},
    messages={"too_big": _("The photo is larger than %(limit)s MB. Please take or choose a smaller photo.")},
))
register_use(UploadUse(
    name="poster", kinds=frozenset({"png", "jpeg"}), max_bytes=_setting("SHIKHON_PICTURE_MAX_BYTES", 2 * MB),
    wrong_type=_("The video's poster must be a PNG or JPEG picture."), types_text=_("PNG or JPEG"),
    picture_max_side=1280, reencode_as={"png": "jpeg"},
))
_NOT_A_VIDEO = _("This file is not a video we can play. Please upload an MP4, WebM, 3GP or MOV video.")
register_use(UploadUse(
    name="video", kinds=VIDEOS, max_bytes=_setting("SHIKHON_VIDEO_MAX_BYTES", 500 * MB),
    wrong_type=_NOT_A_VIDEO, types_text=_("MP4, WebM, 3GP or MOV"),
    messages={"too_big": _("The video is larger than %(limit)s MB. Please upload a smaller file.")},
))
register_use(UploadUse(
    # A processed variant in a course package: served as MP4 to phones, so MP4 only.
    name="video_variant", kinds=frozenset({"mp4"}), max_bytes=_setting("SHIKHON_VIDEO_MAX_BYTES", 500 * MB),
    wrong_type=_NOT_A_VIDEO, types_text=_("MP4"),
))
register_use(UploadUse(
    name="captions", kinds=frozenset({"vtt"}), max_bytes=lambda: 200 * 1024,
    wrong_type=_("This is not a WebVTT captions file. The file must begin with the word WEBVTT. Please upload a "
                 ".vtt file."), types_text=_("WebVTT (.vtt)"),
    messages={"too_big": _("The captions file is larger than 200 KB. Please upload a smaller file.")},
))
register_use(UploadUse(
    name="course_package", kinds=frozenset({"zip"}),
    max_bytes=_setting("SHIKHON_COURSE_IMPORT_MAX_BYTES", 2 * 1024 * MB),
    wrong_type=_PACKAGE_MESSAGES["wrong_type"], types_text=_("ZIP"),
    archive=ArchiveLimits(max_members=5000, max_ratio=100,
                          max_unpacked=lambda _size: int(getattr(settings, "SHIKHON_COURSE_IMPORT_MAX_BYTES",
                                                                 2 * 1024 * MB))),
    messages=_PACKAGE_MESSAGES,
))
register_use(UploadUse(
    name="school_list", kinds=frozenset({"csv", "xlsx"}), max_bytes=_setting("SHIKHON_IMPORT_MAX_BYTES", 20 * MB),
    wrong_type=_("Only CSV and Excel (.xlsx) files can be imported. Save the school list in one of these formats "
                 "and upload it again."), types_text=_("CSV or Excel (.xlsx)"),
    # An .xlsx is a zip: a school list never unpacks to twenty times its size (or 20 MB when small).
    archive=ArchiveLimits(max_members=10_000, max_unpacked=lambda size: 20 * max(size, MB)),
    messages=_SCHOOL_LIST_MESSAGES,
))

# The teachers' library (issue 12, decision 0012): one use for every file a teacher attaches to a content; the
# kind read from the bytes sets the limit. Office files are OOXML zips (inspected like any archive, macros refused).
LIBRARY_LIMITS: dict[str, int] = {
    "pdf": 20 * MB, "docx": 20 * MB, "pptx": 20 * MB, "ooxml": 20 * MB,
    "png": 5 * MB, "jpeg": 5 * MB, "webp": 5 * MB,
    "mp3": 30 * MB, "m4a": 30 * MB, "ogg": 30 * MB, "wav": 30 * MB,
    "mp4": 200 * MB, "mov": 200 * MB, "webm": 200 * MB, "mkv": 200 * MB,
}
_LIBRARY_OLD_OFFICE = _("Old Office files (.ppt, .doc) are not accepted. Save the file as .pptx or .docx and upload "
                        "it again.")
register_use(UploadUse(
    name="library_file", kinds=frozenset({"pdf", "png", "jpeg", "webp"}) | OFFICE | AUDIO | VIDEOS,
    max_bytes=lambda: 200 * MB, kind_max_bytes=LIBRARY_LIMITS,
    wrong_type=_("This file cannot be attached to a content. Upload a PDF, a PowerPoint (.pptx) or Word (.docx) "
                 "file, a JPEG, PNG or WebP picture, an MP3, M4A, OGG or WAV sound, or a video."),
    types_text=_("PDF, PPTX, DOCX, picture, sound or video"), picture_max_side=2000,
    # Office XML compresses well (a deck of text slides: 20–50 times); a member above this ratio is a bomb.
    archive=ArchiveLimits(max_members=3000, max_ratio=200, max_unpacked=lambda _size: 200 * MB),
    messages={
        "too_big": _("The file is larger than %(limit)s MB, the limit for this kind of file. Please upload a "
                     "smaller file."),
        "old_excel": _LIBRARY_OLD_OFFICE,
        "office_macro": _("The file holds macros, which we do not accept. Save it as a plain .pptx or .docx file "
                          "(without macros) and upload it again."),
        "archive_damaged": _("The PowerPoint or Word file is damaged and cannot be read. Save it again and upload "
                             "it."),
        "not_audio": _("This sound cannot be played. Upload an MP3, M4A, OGG or WAV file."),
    },
))

_DEFAULT_MESSAGES: dict[str, Promise] = {
    "empty": _("The file is empty. Choose the file again and upload it."),
    "too_big": _("The file is larger than %(limit)s MB. Please upload a smaller file."),
    "markup": _("This file holds web page code (HTML or SVG), which we never accept. Upload a %(types)s file."),
    "picture_damaged": _("The picture is damaged or incomplete, so it cannot be opened. Save it again and upload "
                         "it."),
    "picture_too_many_pixels": _("The picture is too large to open safely (more than %(megapixels)s megapixels). "
                                 "Make it smaller and upload it again."),
    "pdf_damaged": _("The PDF is damaged or incomplete, so it cannot be opened. Save it again as PDF and upload "
                     "it."),
    "pdf_password": _("The PDF is protected with a password. Save it without a password and upload it again."),
    "pdf_no_page": _("The PDF has no page to show. Upload a PDF with at least one page."),
    "pdf_too_many_pages": _("The PDF has more than %(count)s pages. Upload a shorter PDF."),
    "pdf_script": _("The PDF holds a script, which we do not accept. Print it again to PDF without scripts and "
                    "upload it."),
    "not_video": _NOT_A_VIDEO,
    "not_utf8": _("The captions file must be saved as UTF-8 text. Please save it again as UTF-8 and upload it."),
    "archive_damaged": _("The zip file is damaged and cannot be read. Make it again and upload it."),
    "unpacked_too_big": _("The zip file unpacks to more than %(limit)s MB. Upload a smaller one."),
    "unsafe_name": _("The zip file holds a file with an unsafe name (%(name)s). Nothing was stored."),
    "link": _("The zip file holds a link (%(name)s) instead of a file. Nothing was stored."),
    "encrypted": _("The zip file holds an encrypted file (%(name)s). Nothing was stored."),
    "duplicate": _("The zip file holds two files named %(name)s. Nothing was stored."),
    "too_many": _("The zip file holds more than %(count)s files. Nothing was stored."),
    "ratio": _("The file %(name)s in the zip file is compressed suspiciously well (more than %(ratio)s times). "
               "Nothing was stored."),
    "old_excel": _("Old Office files (.xls, .doc) are not accepted. Save the file in a newer format and upload it "
                   "again."),
    "binary_text": _("This file is not a text file. Upload a %(types)s file."),
}


def _refuse(use: UploadUse, code: str, **params: object) -> UploadRefused:
    text = use.wrong_type if code == "wrong_type" else (use.messages.get(code) or _DEFAULT_MESSAGES[code])
    message = str(text)
    values: dict[str, object] = {"types": use.types_text, **params}
    if params or "%(" in message:
        message = message % {k: (format_number(v) if isinstance(v, int) else str(v)) for k, v in values.items()}
    return UploadRefused(message, code=code, text=text, params=values)


def refusal(*, use: str, code: str, **params: object) -> UploadRefused:
    """The sentence for one of the refusals, for callers that find a problem of their own (e.g. a package
    that says it holds more than it does)."""
    return _refuse(USES[use], code, **params)


# ------------------------------------------------------------------------------------------- the result

@dataclass
class CheckedUpload:
    """What passed: the kind read from the bytes, and the content to store under a name we choose."""

    use: str
    kind: str
    size: int
    file: File  # re-encoded / rewritten content for pictures, PDFs and captions; the upload itself otherwise
    width: int | None = None
    height: int | None = None
    probe: ffmpeg.Probe | None = None

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][0]

    @property
    def extension(self) -> str:
        return KINDS[self.kind][1]

    def filename(self, stem: str) -> str:
        """`stem` plus our extension: never the name the client sent."""
        return f"{stem}.{self.extension}"


# ------------------------------------------------------------------------------------------- reading

Source: TypeAlias = "bytes | bytearray | File[Any] | IO[bytes]"


def _as_file(source: Source) -> File:
    if isinstance(source, bytes | bytearray):
        return ContentFile(bytes(source), name="upload")
    if isinstance(source, File):
        return source
    return File(source, name=str(getattr(source, "name", "") or "upload"))


def _size(file: File) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int) and size >= 0:
        return size
    handle = file.file if file.file is not None else file
    handle.seek(0, io.SEEK_END)
    end = int(handle.tell())
    handle.seek(0)
    return end


def _read(file: File, size: int | None = None, *, at: int = 0) -> bytes:
    file.seek(at)
    data = file.read() if size is None else file.read(size)
    file.seek(0)
    return bytes(data)


def _head_and_foot(file: File, size: int) -> tuple[bytes, bytes]:
    head = _read(file, HEAD_BYTES)
    foot = _read(file, HEAD_BYTES, at=max(0, size - HEAD_BYTES)) if size > HEAD_BYTES else b""
    return head, foot


def detect(head: bytes, foot: bytes = b"") -> str:
    """Our name for the type of a file from its first and last bytes: a key of KINDS, or "svg", "html",
    "xml", "ole", "text" or "other"."""
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if MARKUP.match(stripped) or re.search(rb"<(?:svg|script)[\s>/]", stripped[:1024], re.IGNORECASE):
        return "html" if not re.search(rb"<svg[\s>/]", stripped[:1024], re.IGNORECASE) else "svg"
    try:
        matches = puremagic.magic_string(head + foot)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        kind = _BY_EXTENSION.get(str(match.extension).lower())
        if kind is not None:
            return kind
        mime = str(match.mime_type)
        if mime.endswith(("/xml", "+xml")):
            return "xml"
    if stripped.startswith(b"WEBVTT"):
        return "vtt"
    return "text" if _looks_like_text(head) else "other"


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text has NULs; its reader says what to do
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= len(head) // 100


@contextmanager
def local_path(file: File) -> Iterator[Path]:
    """A path on this machine holding the file's bytes (Django keeps big uploads in a temporary file)."""
    temporary = getattr(file, "temporary_file_path", None)
    if callable(temporary):
        yield Path(temporary())
        return
    with tempfile.TemporaryDirectory(prefix="shikhon-upload-") as tmp:
        target = Path(tmp) / "upload"
        file.seek(0)
        with target.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        file.seek(0)
        yield target


# ------------------------------------------------------------------------------------------- checking

def check_upload(*, use: str, file: Source) -> CheckedUpload:
    """Check `file` for `use` (a key of USES). Answers what to store; raises UploadRefused."""
    spec = USES[use]
    upload = _as_file(file)
    kind, size = _kind_and_size(spec, upload)
    if kind in PICTURES:
        return _checked_picture(spec, kind, _read(upload))
    if kind == "pdf":
        return _checked_pdf(spec, _read(upload))
    if kind in VIDEOS and spec.kinds & AUDIO:
        return _checked_sound_or_video(spec, kind, upload, size)
    if kind in VIDEOS:
        return _checked_video(spec, kind, upload, size)
    if kind in AUDIO:
        return _checked_audio(spec, kind, upload, size)
    if kind == "ooxml":
        return _checked_office(spec, upload, size)
    if kind == "vtt":
        return _checked_captions(spec, _read(upload))
    if kind in ("zip", "xlsx"):
        with _open_zip(spec, upload) as archive:
            inspect_archive(archive, use=use, packed_size=size)
            if kind == "xlsx" and "xl/workbook.xml" not in archive.namelist():
                raise _refuse(spec, "wrong_type")
        upload.seek(0)
        return CheckedUpload(use=use, kind=kind, size=size, file=upload)
    # csv: text; its reader checks the encoding and the rows.
    upload.seek(0)
    return CheckedUpload(use=use, kind=kind, size=size, file=upload)


def _kind_and_size(spec: UploadUse, upload: File) -> tuple[str, int]:
    """The first checks of every upload: not empty, within the use's size limit, and a kind the use takes
    (read from the bytes)."""
    size = _size(upload)
    if size <= 0:
        raise _refuse(spec, "empty")
    limit = spec.max_bytes()
    if limit and size > limit:
        raise _refuse(spec, "too_big", limit=max(1, limit // MB))
    head, foot = _head_and_foot(upload, size)
    kind = detect(head, foot)
    if kind in ("svg", "html", "xml"):
        raise _refuse(spec, "markup")
    if kind == "text" and "csv" in spec.kinds:
        kind = "csv"
    if kind == "text" and "vtt" in spec.kinds:
        kind = "vtt"  # text that is not WebVTT (or not UTF-8): its check says which
    if kind == "zip" and "xlsx" in spec.kinds:
        kind = "xlsx"
    if kind == "ole" and "old_excel" in spec.messages:
        raise _refuse(spec, "old_excel")
    if kind == "other" and "csv" in spec.kinds:
        raise _refuse(spec, "binary_text")
    if kind == "zip" and spec.kinds & OFFICE:
        kind = "ooxml"  # a .pptx or a .docx, or neither: its parts say (_checked_office)
    if kind == "mp4" and "m4a" in spec.kinds and "mp4" not in spec.kinds:
        kind = "m4a"
    if kind not in spec.kinds and kind != "ooxml":
        raise _refuse(spec, "wrong_type")
    _check_kind_size(spec, kind, size)
    return kind, size


def _check_kind_size(spec: UploadUse, kind: str, size: int) -> None:
    kind_limit = spec.kind_max_bytes.get(kind)
    if kind_limit and size > kind_limit:
        raise _refuse(spec, "too_big", limit=max(1, kind_limit // MB))


# --- pictures

_PILLOW_FORMATS = {"PNG": "png", "JPEG": "jpeg", "MPO": "jpeg", "WEBP": "webp", "GIF": "gif"}
_SAVE: dict[str, tuple[str, dict[str, Any]]] = {
    "png": ("PNG", {"optimize": True}), "jpeg": ("JPEG", {"quality": 85, "optimize": True}),
    "webp": ("WEBP", {"quality": 82}), "gif": ("PNG", {"optimize": True})}


def _max_pixels() -> int:
    return int(getattr(settings, "SHIKHON_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS) or DEFAULT_MAX_PIXELS)


def _checked_picture(spec: UploadUse, kind: str, data: bytes) -> CheckedUpload:
    from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

    damaged = _refuse(spec, "picture_damaged")
    with _strict_pillow(ImageFile), warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if _PILLOW_FORMATS.get(probe.format or "") != kind:
                    raise _refuse(spec, "wrong_type")  # the detector and the decoder disagree: a polyglot
                width, height = probe.size
                if width <= 0 or height <= 0:
                    raise damaged
                if width * height > _max_pixels():
                    raise _refuse(spec, "picture_too_many_pixels", megapixels=_max_pixels() // 1_000_000)
                probe.verify()  # structure and checksums (PNG chunks) through to the end
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format == "JPEG":
                    opened.draft("RGB", (spec.picture_max_side, spec.picture_max_side))  # decode scaled down
                opened.load()  # every byte of the picture decoded: a truncated file fails here
                picture = ImageOps.exif_transpose(opened)
        except UploadRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow's own guard fires in Image.open, before the size check above: the same sentence.
            raise _refuse(spec, "picture_too_many_pixels", megapixels=_max_pixels() // 1_000_000) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
            raise damaged from exc
    out_kind = spec.reencode_as.get(kind, kind if kind != "gif" else "png")
    picture = _plain(picture, out_kind)
    picture.thumbnail((spec.picture_max_side, spec.picture_max_side))
    picture.info = {}  # no EXIF, ICC, text chunks or comments travel
    out = io.BytesIO()
    fmt, options = _SAVE[out_kind]
    picture.save(out, format=fmt, **options)
    cleaned = out.getvalue()
    return CheckedUpload(use=spec.name, kind=out_kind, size=len(cleaned), file=ContentFile(cleaned, name="picture"),
                         width=picture.width, height=picture.height)


_PILLOW = threading.Lock()


@contextmanager
def _strict_pillow(image_file: Any) -> Iterator[None]:
    """Pillow refuses truncated pictures only while `ImageFile.LOAD_TRUNCATED_IMAGES` is False — and
    WeasyPrint sets it to True for the whole process when it is imported (certificates, activity sheets).
    Our checks decode with it False (one at a time) and put back what they found."""
    with _PILLOW:
        before = image_file.LOAD_TRUNCATED_IMAGES
        image_file.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            image_file.LOAD_TRUNCATED_IMAGES = before


def _plain(picture: Any, out_kind: str) -> Any:
    """The picture in a mode its format stores plainly (transparency kept where the format has it)."""
    from PIL import Image

    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    if out_kind == "jpeg":
        if has_alpha:
            rgba = picture.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    if picture.mode in ("RGB", "RGBA", "L", "LA") and "transparency" not in picture.info:
        return picture.copy()
    return picture.convert("RGBA" if has_alpha else "RGB")


# --- PDFs

_PDFIUM = threading.Lock()  # PDFium is not thread-safe; gunicorn runs threads


def _checked_pdf(spec: UploadUse, data: bytes) -> CheckedUpload:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD:
                raise _refuse(spec, "pdf_password") from exc
            raise _refuse(spec, "pdf_damaged") from exc
        try:
            pages = len(document)
            if pages < 1:
                raise _refuse(spec, "pdf_no_page")
            if pages > PDF_MAX_PAGES:
                raise _refuse(spec, "pdf_too_many_pages", count=PDF_MAX_PAGES)
            if pdfium_raw.FPDFDoc_GetJavaScriptActionCount(document.raw) != 0:
                raise _refuse(spec, "pdf_script")
            page = document[0]
            try:
                width, height = page.get_size()
                if not (width > 0 and height > 0):
                    raise _refuse(spec, "pdf_damaged")
                bitmap = page.render(scale=PDF_PREVIEW_SIDE / max(width, height))
                bitmap.close()
            finally:
                page.close()
            out = io.BytesIO()
            # A fresh copy written by PDFium: only the objects of the document, nothing appended travels.
            document.save(out, flags=pdfium_raw.FPDF_NO_INCREMENTAL)
        except UploadRefused:
            raise
        except (pdfium.PdfiumError, OSError, ValueError, ZeroDivisionError) as exc:
            raise _refuse(spec, "pdf_damaged") from exc
        finally:
            document.close()
    cleaned = out.getvalue()
    if not cleaned.startswith(b"%PDF-"):
        raise _refuse(spec, "pdf_damaged")
    return CheckedUpload(use=spec.name, kind="pdf", size=len(cleaned), file=ContentFile(cleaned, name="sheet"),
                         width=round(width), height=round(height))


# --- videos and captions

def _checked_video(spec: UploadUse, kind: str, upload: File, size: int) -> CheckedUpload:
    with local_path(upload) as path:
        try:
            info = ffmpeg.probe(path)
        except ffmpeg.FFmpegError as exc:
            raise _refuse(spec, "not_video") from exc
        if not info.is_playable_video or not ffmpeg.decodes(path):
            raise _refuse(spec, "not_video")
    upload.seek(0)
    return CheckedUpload(use=spec.name, kind=kind, size=size, file=upload, width=info.width, height=info.height,
                         probe=info)


def _decodes_sound(path: Path) -> bool:
    """Whether ffmpeg decodes the first seconds of the sound (a probe alone misses broken files)."""
    try:
        ffmpeg.run(["-v", "error", "-t", "2", "-i", str(path), "-map", "0:a:0", "-f", "null", "-"],
                   timeout=ffmpeg.PROBE_TIMEOUT)
    except ffmpeg.FFmpegError:
        return False
    return True


def _is_sound(info: ffmpeg.Probe) -> bool:
    return info.has_audio and not info.has_video and (info.duration or 0) > 0


def _checked_audio(spec: UploadUse, kind: str, upload: File, size: int) -> CheckedUpload:
    """A sound (MP3, M4A, OGG, WAV): probed and briefly decoded by ffmpeg, like a video; stored as it came."""
    with local_path(upload) as path:
        try:
            info = ffmpeg.probe(path)
        except ffmpeg.FFmpegError as exc:
            raise _refuse(spec, "not_audio") from exc
        if not _is_sound(info) or not _decodes_sound(path):
            raise _refuse(spec, "not_audio")
    upload.seek(0)
    return CheckedUpload(use=spec.name, kind=kind, size=size, file=upload, probe=info)


def _checked_sound_or_video(spec: UploadUse, kind: str, upload: File, size: int) -> CheckedUpload:
    """An MP4-family file for a use that takes sound too: a video when it has pictures, else an M4A sound."""
    with local_path(upload) as path:
        try:
            info = ffmpeg.probe(path)
        except ffmpeg.FFmpegError as exc:
            raise _refuse(spec, "not_video") from exc
        if info.is_playable_video and ffmpeg.decodes(path):
            upload.seek(0)
            return CheckedUpload(use=spec.name, kind=kind, size=size, file=upload, width=info.width,
                                 height=info.height, probe=info)
        if kind in ("mp4", "mov") and "m4a" in spec.kinds and _is_sound(info) and _decodes_sound(path):
            _check_kind_size(spec, "m4a", size)
            upload.seek(0)
            return CheckedUpload(use=spec.name, kind="m4a", size=size, file=upload, probe=info)
    raise _refuse(spec, "not_video")


# --- Office files (OOXML)

_OFFICE_MAIN_PARTS = {"ppt/presentation.xml": "pptx", "word/document.xml": "docx"}
_MACRO = re.compile(rb"macroEnabled|vbaProject|vnd\.ms-office\.activeX", re.IGNORECASE)


def _checked_office(spec: UploadUse, upload: File, size: int) -> CheckedUpload:
    """A PowerPoint (.pptx) or Word (.docx) file: a zip inspected like every archive (names, links, encryption,
    bombs), with the OOXML structure ([Content_Types].xml and the main part under ppt/ or word/), and no macros
    (.pptm/.docm, a vbaProject.bin anywhere, a macro-enabled content type). Stored as it came."""
    with _open_zip(spec, upload) as archive:
        members = inspect_archive(archive, use=spec.name, packed_size=size)
        if any(name.lower().rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for name in members):
            raise _refuse(spec, "office_macro")
        types_info = members.get("[Content_Types].xml")
        if types_info is None or types_info.file_size > MB:
            raise _refuse(spec, "wrong_type")
        try:
            content_types = read_member(archive, types_info)
        except MemberUnreadable as exc:
            raise _refuse(spec, "archive_damaged") from exc
        if _MACRO.search(content_types):
            raise _refuse(spec, "office_macro")
        kinds = {kind for part, kind in _OFFICE_MAIN_PARTS.items() if part in members}
        if len(kinds) != 1:
            raise _refuse(spec, "wrong_type")
        kind = kinds.pop()
        if kind not in spec.kinds:
            raise _refuse(spec, "wrong_type")
        top = "ppt/" if kind == "pptx" else "word/"
        try:
            read_member(archive, members[f"{top}{'presentation' if kind == 'pptx' else 'document'}.xml"])
        except MemberUnreadable as exc:
            raise _refuse(spec, "archive_damaged") from exc
    _check_kind_size(spec, kind, size)
    upload.seek(0)
    return CheckedUpload(use=spec.name, kind=kind, size=size, file=upload)


def _checked_captions(spec: UploadUse, raw: bytes) -> CheckedUpload:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(spec, "not_utf8") from exc
    first = text.split("\n", 1)[0].strip()
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise _refuse(spec, "wrong_type")
    cleaned = text.replace("\r\n", "\n").encode("utf-8")
    return CheckedUpload(use=spec.name, kind="vtt", size=len(cleaned), file=ContentFile(cleaned, name="captions"))


# --- archives

def _zip_of(spec: UploadUse, upload: File) -> zipfile.ZipFile:
    """The upload opened as a zip, or the use's refusal ("damaged" where it has that sentence)."""
    try:
        upload.seek(0)
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _refuse(spec, "archive_damaged" if "archive_damaged" in spec.messages else "wrong_type") from exc


@contextmanager
def _open_zip(spec: UploadUse, upload: File) -> Iterator[zipfile.ZipFile]:
    archive = _zip_of(spec, upload)
    try:
        yield archive
    finally:
        archive.close()


def open_archive(*, use: str, file: Source) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """Check an uploaded archive like `check_upload` and answer it open — opened once — with its members
    by name (the caller closes it). For readers that go on to read the members (course packages): read
    them with `read_member`, `member_sha256` and `extract_member`, which hold each member to its size."""
    spec = USES[use]
    upload = _as_file(file)
    kind, size = _kind_and_size(spec, upload)
    if kind != "zip":
        raise _refuse(spec, "wrong_type")
    archive = _zip_of(spec, upload)
    try:
        return archive, inspect_archive(archive, use=use, packed_size=size)
    except BaseException:
        archive.close()
        raise


class MemberUnreadable(Exception):
    """A member of an archive cannot be read, or holds more than its entry in the directory says."""


CHUNK = MB


def _member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, never more than the directory gives as its size (a lying member is a bomb)."""
    read = 0
    try:
        with archive.open(info) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                read += len(chunk)
                if read > info.file_size:
                    raise MemberUnreadable(info.filename)
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise MemberUnreadable(info.filename) from exc


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A (small) member's bytes; MemberUnreadable when it cannot be read or lies about its size."""
    return b"".join(_member_chunks(archive, info))


def member_sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    for chunk in _member_chunks(archive, info):
        digest.update(chunk)
    return digest.hexdigest()


if TYPE_CHECKING:
    _BytesFile = File[bytes]  # django-stubs' File is generic over what it reads; Django's is not subscriptable
else:
    _BytesFile = File


class ExtractedMember(_BytesFile):
    """A member copied to a temporary file (ffmpeg reads videos from a path); closing it removes it."""

    def __init__(self, handle: IO[bytes], *, name: str) -> None:
        super().__init__(handle, name=name)
        self.path = str(getattr(handle, "name", ""))

    def temporary_file_path(self) -> str:
        return self.path


def extract_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> ExtractedMember:
    """The member in a temporary file, ready for `check_upload` as if it had been uploaded alone (the
    caller closes it)."""
    copy = tempfile.NamedTemporaryFile(prefix="shikhon-member-")  # noqa: SIM115 — closed by the caller
    try:
        for chunk in _member_chunks(archive, info):
            copy.write(chunk)
        copy.flush()
        copy.seek(0)
    except BaseException:
        copy.close()
        raise
    return ExtractedMember(copy, name=info.filename)


def unsafe_member_name(name: str) -> bool:
    """Absolute, drive-lettered, backslashed, NUL-holding, or stepping out with `..`: never unpacked."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    parts = name.rstrip("/").split("/")
    return any(part in {"", ".", ".."} for part in parts)


def inspect_archive(archive: zipfile.ZipFile, *, use: str, packed_size: int) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name, after refusing unsafe names, links, encryption, duplicates, too many
    members, too much unpacked data and members that expand suspiciously well (zip bombs). Reads only the
    central directory; a member that lies about its size is caught by whoever reads it."""
    spec = USES[use]
    limits = spec.archive or ArchiveLimits(max_members=1000, max_unpacked=lambda size: 20 * max(size, MB))
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _refuse(spec, "too_many", count=limits.max_members)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    most = limits.max_unpacked(packed_size)
    for info in infos:
        name = info.filename
        if unsafe_member_name(name):
            raise _refuse(spec, "unsafe_name", name=name[:200])
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(spec, "link", name=name[:200])
        if info.flag_bits & 0x1:
            raise _refuse(spec, "encrypted", name=name[:200])
        if info.is_dir():
            continue
        if name in members:
            raise _refuse(spec, "duplicate", name=name[:200])
        total += info.file_size
        if total > most:
            raise _refuse(spec, "unpacked_too_big", limit=max(1, most // MB))
        if (limits.max_ratio is not None and info.file_size > limits.ratio_exempt_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise _refuse(spec, "ratio", name=name[:200], ratio=limits.max_ratio)
        members[name] = info
    return members


__all__ = ["AUDIO", "KINDS", "LIBRARY_LIMITS", "OFFICE", "USES", "ArchiveLimits", "CheckedUpload", "ExtractedMember",
           "MemberUnreadable", "UploadRefused", "UploadUse", "check_upload", "detect", "extract_member",
           "inspect_archive", "local_path", "member_sha256", "open_archive", "read_member", "refusal", "register_use",
           "unsafe_member_name"]
