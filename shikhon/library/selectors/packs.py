"""Reading for offline packs: which published contents a pack holds (and how big they are), the lists of the packs
page, and the addresses a phone caches to keep one content ("Save to phone", used by the offline app)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse

from shikhon.library.models import Content, ContentFile, OfflinePack
from shikhon.library.permissions import can_build_packs, published_q

if TYPE_CHECKING:
    from shikhon.people.models import User

CHUNK = 100  # contents read (with their files) per query while a pack is written
SAVE_MAX_BYTES = 20 * 1024**2  # "Save to phone": files larger than this are left out (2G phones, small storage)


def _selection_q(*, grade: int | None, subject_id: int | None, model_only: bool) -> Q:
    q = published_q()
    if grade is not None:
        q &= Q(grade=grade)
    if subject_id is not None:
        q &= Q(subject_id=subject_id)
    if model_only:
        q &= Q(is_model=True)
    return q


def _files_of(version_ids: Any) -> QuerySet[ContentFile]:
    return ContentFile.objects.filter(version_id__in=version_ids)


def pack_selection_size(*, grade: int | None = None, subject_id: int | None = None,
                        model_only: bool = False) -> tuple[int, int]:
    """How many published contents match and the bytes of their published versions' files (two queries)."""
    contents = Content.objects.filter(_selection_q(grade=grade, subject_id=subject_id, model_only=model_only))
    count = contents.count()
    if not count:
        return 0, 0
    files = _files_of(contents.values("published_version_id"))
    size = files.aggregate(total=Sum("size"))["total"] or 0
    videos = files.filter(video__isnull=False).aggregate(total=Sum("video__low_bytes"))["total"] or 0
    return count, int(size) + int(videos)


@dataclass
class PackContent:
    content: Content
    files: list[ContentFile] = field(default_factory=list)


def pack_contents(*, grade: int | None = None, subject_id: int | None = None,
                  model_only: bool = False) -> Iterator[PackContent]:
    """The contents of a pack with their published version (body) and its files, by class, subject and title;
    read in chunks (two queries per chunk), never the whole selection at once."""
    ids = list(Content.objects.filter(_selection_q(grade=grade, subject_id=subject_id, model_only=model_only))
               .order_by("grade", "subject__position", "subject__code", "title", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = {c.pk: c for c in Content.objects.filter(pk__in=chunk)
                .select_related("author", "subject", "topic", "published_version")}
        files: dict[int, list[ContentFile]] = {}
        version_ids = [c.published_version_id for c in rows.values()]
        for f in _files_of(version_ids).select_related("video").order_by("position", "pk"):
            files.setdefault(f.version_id, []).append(f)
        for pk in chunk:
            content = rows.get(pk)
            if content is not None and content.published_version_id is not None:
                yield PackContent(content=content, files=files.get(content.published_version_id, []))


# ---------------------------------------------------------------- the packs page


def ready_packs() -> QuerySet[OfflinePack]:
    """Packs anyone signed in may download: ready ones, newest first."""
    return (OfflinePack.objects.filter(status=OfflinePack.Status.READY).select_related("subject")
            .order_by("-finished_at", "-pk"))


def my_unfinished_packs(user: User) -> list[OfflinePack]:
    """The officer's packs not ready yet (waiting, being built or failed), newest first; at most ten."""
    if not can_build_packs(user):
        return []
    return list(OfflinePack.objects.filter(created_by=user).exclude(status=OfflinePack.Status.READY)
                .select_related("subject").order_by("-created_at", "-pk")[:10])


# ---------------------------------------------------------------- save one content to the phone


def _url(name: str, **kwargs: Any) -> str:
    """The address of another part's page, or "" while that page is not there yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _file_url(f: ContentFile) -> str:
    try:
        return f.file.url
    except NoReverseMatch:
        return ""


def content_save_urls(content: Content) -> dict[str, Any]:
    """What a phone caches to read a published content without internet: its page, its files' previews, and
    its files up to `SAVE_MAX_BYTES` each (a video: the low variant and its poster); the files left out, with
    their names. The caller has checked the content is published and visible."""
    urls: list[str] = []
    page = _url("library:content", pk=content.pk)
    if page:
        urls.append(page)
    skipped: list[dict[str, str]] = []
    total = 0
    files = (_files_of([content.published_version_id]).select_related("video").order_by("position", "pk")
             if content.published_version_id else ContentFile.objects.none())
    for f in files:
        if f.preview_state == ContentFile.Preview.READY and isinstance(f.preview_pages, list):
            for number in range(1, len(f.preview_pages) + 1):
                preview = _url("library:file_preview", pk=f.pk, page=number)
                if preview:
                    urls.append(preview)
        video = f.video
        if video is not None:
            if video.is_ready and video.low and (video.low_bytes or 0) <= SAVE_MAX_BYTES:
                urls.extend(u for u in (video.low_url, video.poster_url) if u)
                total += video.low_bytes or 0
            else:
                skipped.append({"name": f.original_name, "url": ""})
            continue
        if not f.file:
            continue
        address = _file_url(f)
        if f.size > SAVE_MAX_BYTES:
            skipped.append({"name": f.original_name, "url": address})
            continue
        if address:
            urls.append(address)
            total += f.size
    return {"page": page, "urls": list(dict.fromkeys(urls)), "media_bytes": total, "skipped": skipped}
