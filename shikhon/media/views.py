"""Serving video files with byte ranges (players seek, and a dropped 2G download resumes where it
stopped), streamed from storage so a big file is never read into memory."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from typing import IO

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from shikhon.core.serving import REDIRECT_CACHE_CONTROL, is_local, safe_filename, signed_url
from shikhon.media.selectors import access_video

# URL name of the file -> (model field, Content-Type)
VARIANTS = {
    "low.mp4": ("low", "video/mp4"),
    "standard.mp4": ("standard", "video/mp4"),
    "poster.jpg": ("poster", "image/jpeg"),
    "captions.vtt": ("captions", "text/vtt; charset=utf-8"),
}
CHUNK = 64 * 1024
CACHE_CONTROL = "private, max-age=31536000, immutable"
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte to send for a single `Range: bytes=…`; None means "send the whole file"
    (no header, a header we do not understand, or several ranges). Raises Unsatisfiable."""
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if not match:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # bytes=-n: the last n bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # not a valid range: ignored
    if first >= size:
        raise Unsatisfiable
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


def _stream(name: str, first: int, length: int) -> Iterator[bytes]:
    handle: IO[bytes] = default_storage.open(name, "rb")
    try:
        if first:
            handle.seek(first)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


@login_not_required  # a visitor may watch a public video (a course's sample); any other is 404 to her
@require_safe
def serve(request: HttpRequest, public_id: uuid.UUID, variant: str) -> HttpResponse | StreamingHttpResponse:
    if variant not in VARIANTS:
        raise Http404
    field, content_type = VARIANTS[variant]
    # Only a video she may watch (a draft course's video is not for everyone signed in); hidden is 404.
    video = access_video(request.user, public_id, file=field)
    name = getattr(video, field).name
    if not name:
        raise Http404
    disposition = content_disposition_header(False, safe_filename(f"video-{public_id}-{field}", variant)) or ""
    if content_type == "video/mp4" and not is_local(name):
        # Object storage (S3): the browser fetches video ranges from it directly, through a short-lived
        # signed address (settings.SHIKHON_MEDIA_ORIGIN lets the CSP allow it) that fixes the type and
        # disposition S3 answers with; the app server never carries the video. Posters and captions are
        # small and stream from here (no CORS needed).
        redirect = HttpResponseRedirect(signed_url(name, content_type=content_type, disposition=disposition))
        redirect["Cache-Control"] = REDIRECT_CACHE_CONTROL
        return redirect
    try:
        size = default_storage.size(name)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc

    modified = int(video.processed_at.timestamp()) if video.processed_at else 0
    digest = hashlib.blake2s(f"{name}:{size}:{modified}".encode(), digest_size=8).hexdigest()
    etag = f'"{digest}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Accept-Ranges": "bytes",
               "X-Content-Type-Options": "nosniff", "Content-Disposition": disposition}
    if modified:
        headers["Last-Modified"] = http_date(modified)

    if _not_modified(request, etag, modified):
        not_modified = HttpResponse(status=304)
        for key, value in headers.items():
            not_modified[key] = value
        return not_modified

    span = None
    range_header = request.headers.get("Range", "")
    if range_header and _if_range_holds(request, etag, modified):
        try:
            span = parse_range(range_header, size)
        except Unsatisfiable:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            for key, value in headers.items():
                refused[key] = value
            return refused

    first, last = span if span else (0, size - 1)
    length = max(0, last - first + 1)
    body: Iterator[bytes] = iter(()) if request.method == "HEAD" or length == 0 else _stream(name, first, length)
    response = StreamingHttpResponse(body, status=206 if span else 200, content_type=content_type)
    for key, value in headers.items():
        response[key] = value
    response["Content-Length"] = str(length)
    if span:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    # Video, pictures and captions are not worth gzipping, and gzip would break byte ranges: tell the
    # GZip middleware (which reads this header on the way out) that this client takes none.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return response


def _not_modified(request: HttpRequest, etag: str, modified: int) -> bool:
    if_none_match = request.headers.get("If-None-Match", "")
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(modified and since is not None and modified <= since)


def _if_range_holds(request: HttpRequest, etag: str, modified: int) -> bool:
    """`If-Range`: send the range only if the file is still the one the client has part of."""
    if_range = request.headers.get("If-Range", "").strip()
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        return if_range == etag
    date = parse_http_date_safe(if_range)
    return bool(modified and date is not None and date >= modified)
