"""Serving a stored file to someone a view has already allowed to see it (decision 0007).

Nothing under MEDIA_ROOT is mounted as a folder: each kind of file has a view that loads the object owning
it through the owner's visibility rules (hidden answers 404), then calls `stored_file_response`. The file
comes from the default storage, so the same code serves from the local disk and from S3:

- local disk: streamed by the app server with the type we chose at upload (from our extension), `nosniff`
  and a `Content-Disposition` with a safe ASCII name;
- object storage: a redirect to a short-lived signed address that tells S3 to answer with that same type
  and disposition (`ResponseContentType`, `ResponseContentDisposition`), so a file can never be served as
  something else from the bucket either.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
from typing import Any

from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header

REDIRECT_CACHE_CONTROL = "private, max-age=300"  # well inside the life of a signed S3 address (1 hour)
CACHE_CONTROL = "private, max-age=86400"  # the address changes with the file (see _ServedUrl)
# What we store (core.uploads chooses these extensions); anything else goes out as a download of bytes.
CONTENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
    "gif": "image/gif", "mp4": "video/mp4", "vtt": "text/vtt; charset=utf-8",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}")


def is_local(name: str) -> bool:
    """Whether the default storage keeps `name` on this machine (else it is object storage)."""
    try:
        default_storage.path(name)
    except NotImplementedError:
        return False
    return True


def content_type_for(name: str) -> str:
    extension = posixpath.splitext(name)[1].lower().lstrip(".")
    return CONTENT_TYPES.get(extension) or mimetypes.types_map.get(f".{extension}", "application/octet-stream")


def safe_filename(stem: str, name: str) -> str:
    """A download name of ASCII letters, digits, dots and dashes, with the stored file's extension."""
    extension = posixpath.splitext(name)[1].lower()
    clean = _SAFE_NAME.sub("-", stem).strip("-.") or "file"
    if not _EXTENSION.fullmatch(extension):
        extension = ""
    return f"{clean[:80]}{extension}"


def stored_file_response(name: str, *, download_name: str, attachment: bool) -> HttpResponse | FileResponse:
    """The stored file `name` for a person already allowed to see it. `attachment` for documents (saved,
    never shown inside our pages); pictures and video go inline. Missing files answer 404."""
    if not name:
        raise Http404
    content_type = content_type_for(name)
    if not content_type.startswith(("image/", "video/", "text/vtt", "application/pdf")):
        attachment, content_type = True, "application/octet-stream"
    filename = safe_filename(download_name, name)
    disposition = content_disposition_header(attachment, filename) or "attachment"
    if not is_local(name):
        url = signed_url(name, content_type=content_type, disposition=disposition)
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = REDIRECT_CACHE_CONTROL
        return redirect
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE_CONTROL
    return response


def signed_url(name: str, *, content_type: str, disposition: str) -> str:
    """A short-lived address of `name` on object storage that answers with this type and disposition."""
    parameters = {"ResponseContentType": content_type, "ResponseContentDisposition": disposition}
    try:
        return str(default_storage.url(name, parameters=parameters))  # type: ignore[call-arg]  # S3Storage
    except TypeError:  # a storage without response parameters
        return str(default_storage.url(name))


# ------------------------------------------------------------------ file fields whose address is a view

class _ServedUrl:
    """`.url` of a stored file is the owner's permission-checked view (never a /media/ path), with a short
    digest of the stored name so a replaced file gets a new address (caches stay safe)."""

    field: Any
    instance: Any
    name: str | None

    @property
    def url(self) -> str:
        if not self.name:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        address = reverse(self.field.url_name, kwargs={"pk": self.instance.pk})
        return f"{address}?v={hashlib.blake2s(self.name.encode(), digest_size=4).hexdigest()}"


class ServedFieldFile(_ServedUrl, FieldFile):
    pass


class ServedImageFieldFile(_ServedUrl, ImageFieldFile):
    pass


class ServedFileField(models.FileField):
    """A FileField served by the view named `url_name` (it takes the owner's `pk`). In migrations it is a
    plain FileField: only the address changes, not the column."""

    attr_class = ServedFieldFile

    def __init__(self, *args: Any, url_name: str = "", **kwargs: Any) -> None:
        self.url_name = url_name
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class ServedImageField(models.ImageField):
    """An ImageField served by the view named `url_name`; a plain ImageField in migrations."""

    attr_class = ServedImageFieldFile

    def __init__(self, *args: Any, url_name: str = "", **kwargs: Any) -> None:
        self.url_name = url_name
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
