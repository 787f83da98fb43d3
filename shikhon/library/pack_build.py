"""The zip writer of offline packs (services.packs.pack_build calls it): one zip written to a temporary file as it
goes — stored files are copied in chunks, never read whole into memory — holding

- `index.html`: a static Bangla page that works opened from a USB stick (file://, no server, no JavaScript,
  relative links only), the contents grouped by class and subject;
- `contents/<id>/index.html`: one page per content (title, author, class and subject, the sanitised body, its
  files with their previews);
- `files/<file id>/<name>` and `previews/<file id>/<n>.<ext>`: the stored files and previews;
- `manifest.json`: schema version, when it was built, the filter, and every file's path, size and sha256."""

from __future__ import annotations

import hashlib
import itertools
import json
import posixpath
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import nh3
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from shikhon.core.serving import safe_filename

if TYPE_CHECKING:
    from shikhon.library.models import ContentFile, OfflinePack
    from shikhon.library.selectors.packs import PackContent

MANIFEST_SCHEMA = 1
COPY_CHUNK = 1024 * 1024
# Already compressed: stored as they are (deflating them again costs time and saves nothing).
_STORED = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".mp4", ".mp3", ".m4a", ".ogg", ".opus", ".docx",
           ".pptx", ".zip"}


class PackTooLarge(Exception):
    """The files written so far came to more than the pack may hold."""


class MissingFile(Exception):
    """A stored file of a content could not be read."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


@dataclass
class Built:
    file: IO[bytes]  # the zip, at position 0; the caller stores and closes it
    size: int
    sha256: str
    count: int  # contents written


@dataclass
class _Entry:
    label: str
    path: str  # inside the zip
    kind: str
    previews: list[str] = field(default_factory=list)
    poster: str = ""


def _keep_relative(tag: str, attribute: str, value: str) -> str | None:
    """A link of the body that points at the site (`/library/…`, `//host/…`) means nothing on a USB stick: its
    address is dropped (the text stays). Links to other sites stay as they are."""
    if attribute in {"href", "src"} and value.strip().startswith("/"):
        return None
    return value


def body_for_pack(body_html: str) -> SafeString:
    """The published version's sanitised body, cleaned again (nh3) without addresses into the site: safe HTML."""
    return mark_safe(nh3.clean(body_html or "", attribute_filter=_keep_relative))  # noqa: S308 - nh3 cleaned it


class _Writer:
    def __init__(self, zf: zipfile.ZipFile, max_bytes: int) -> None:
        self.zf = zf
        self.max_bytes = max_bytes
        self.written = 0
        self.manifest: list[dict[str, Any]] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = (zipfile.ZIP_STORED if posixpath.splitext(path)[1].lower() in _STORED
                              else zipfile.ZIP_DEFLATED)
        info.external_attr = 0o644 << 16
        return info

    def _count(self, size: int) -> None:
        self.written += size
        if self.written > self.max_bytes:
            raise PackTooLarge

    def text(self, path: str, text: str) -> None:
        data = text.encode("utf-8")
        self._count(len(data))
        self.zf.writestr(self._info(path), data)
        self.manifest.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

    def stored(self, path: str, name: str, *, title: str) -> None:
        digest = hashlib.sha256()
        size = 0
        try:
            with default_storage.open(name, "rb") as source, self.zf.open(self._info(path), "w",
                                                                           force_zip64=True) as target:
                for chunk in iter(lambda: source.read(COPY_CHUNK), b""):
                    self._count(len(chunk))
                    digest.update(chunk)
                    target.write(chunk)
                    size += len(chunk)
        except (FileNotFoundError, OSError) as error:
            raise MissingFile(title) from error
        self.manifest.append({"path": path, "size": size, "sha256": digest.hexdigest()})


def _extension(name: str) -> str:
    extension = posixpath.splitext(name)[1].lower()
    return extension if 1 < len(extension) <= 6 and extension[1:].isalnum() else ""


def _write_files(writer: _Writer, files: list[ContentFile], *, title: str) -> list[_Entry]:
    entries: list[_Entry] = []
    for f in files:
        base = f"files/{f.pk}"
        entry = _Entry(label=f.original_name, path="", kind=f.file_kind)
        video = f.video
        if video is not None and video.is_ready and video.low:
            low = video.low.name or ""
            entry.path = f"{base}/video-240p{_extension(low) or '.mp4'}"
            writer.stored(entry.path, low, title=title)
            poster = video.poster.name or ""
            if poster:
                entry.poster = f"previews/{f.pk}/poster{_extension(poster) or '.jpg'}"
                writer.stored(entry.poster, poster, title=title)
        elif f.file:
            stored = f.file.name or ""
            entry.path = f"{base}/{safe_filename(posixpath.splitext(f.original_name)[0], stored)}"
            writer.stored(entry.path, stored, title=title)
        else:
            continue  # a video still being processed: nothing to put in the pack yet
        pages = f.preview_pages if f.preview_state == f.Preview.READY and isinstance(f.preview_pages, list) else []
        for n, name in enumerate(pages, start=1):
            if isinstance(name, str) and name:
                preview = f"previews/{f.pk}/{n}{_extension(name) or '.png'}"
                writer.stored(preview, name, title=title)
                entry.previews.append(preview)
        entries.append(entry)
    return entries


def write_pack(*, pack: OfflinePack, contents: Iterable[PackContent], total: int, max_bytes: int,
               progress: Callable[[int], None], every: int) -> Built:
    """Write the pack's zip to a temporary file and answer it (at position 0) with its size and sha256.
    `progress(done)` is called every `every` contents."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who stores and closes it
    try:
        count = _write(handle, pack=pack, contents=contents, total=total, max_bytes=max_bytes, progress=progress,
                       every=every)
        handle.seek(0)
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: handle.read(COPY_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return Built(file=handle, size=size, sha256=digest.hexdigest(), count=count)


def _write(handle: IO[bytes], *, pack: OfflinePack, contents: Iterable[PackContent], total: int, max_bytes: int,
           progress: Callable[[int], None], every: int) -> int:
    built_at = timezone.now()
    listed: list[dict[str, Any]] = []
    with translation.override("bn"), zipfile.ZipFile(handle, "w", allowZip64=True) as zf:
        writer = _Writer(zf, max_bytes)
        done = 0
        for item in contents:
            content = item.content
            version = content.published_version
            entries = _write_files(writer, item.files, title=content.title)
            writer.text(f"contents/{content.pk}/index.html", render_to_string("library/packs/zip/content.html", {
                "content": content, "version": version, "body": body_for_pack(version.body_html if version else ""),
                "files": entries, "pack": pack, "built_at": built_at,
            }))
            listed.append({"pk": content.pk, "title": content.title, "grade": content.grade,
                           "subject": content.subject.name, "is_model": content.is_model,
                           "author": content.author.display_name, "kind": content.get_kind_display()})
            done += 1
            if done % every == 0 and done < total:
                progress(done)
        groups = [
            {"grade": grade, "subjects": [{"name": name, "contents": list(rows)}
                                          for name, rows in itertools.groupby(in_grade, key=lambda r: r["subject"])]}
            for grade, in_grade in itertools.groupby(listed, key=lambda r: r["grade"])
        ]
        writer.text("index.html", render_to_string("library/packs/zip/index.html", {
            "pack": pack, "groups": groups, "count": done, "built_at": built_at,
        }))
        manifest = {
            "schema": MANIFEST_SCHEMA,
            "built_at": built_at.isoformat(),
            "pack": {"id": pack.pk, "title": pack.title},
            "filter": {"grade": pack.grade, "subject": pack.subject.code if pack.subject else None,
                       "model_only": pack.model_only},
            "contents": done,
            "files": writer.manifest,
        }
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return done
