"""What the files part adds to a content's page (library/content_page.py): context for
templates/library/content_page/_files.html — the files of the version this person sees (the published one for
readers; the latest for the author, her head teacher and the area's mentors), each with its preview pictures, its
size in the reader's digits and, for a video, media's 240p source and poster. Two queries at most (the version's
files with their videos; the person's scope is the request's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from shikhon.core.bangla import localize_digits
from shikhon.library.models import ContentFile
from shikhon.library.selectors.files import version_files, version_seen_by
from shikhon.library.services.files import preview_size

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from shikhon.library.models import Content

KB = 1024
MB = 1024 * 1024
PREVIEW_BOX = 480  # the widest a preview is drawn


def size_text(size: int, language: str | None = None) -> str:
    """A file's size as people read it: "১০.২ MB", "৮৫০ KB" (Bangla digits in Bangla)."""
    if size >= MB:
        text = f"{size / MB:.1f} MB"
    elif size >= KB:
        text = f"{max(1, round(size / KB))} KB"
    else:
        text = f"{size} B"
    return localize_digits(text, language)


@dataclass
class Preview:
    url: str
    width: int
    height: int


@dataclass
class FileEntry:
    file: ContentFile
    url: str
    size_text: str
    previews: list[Preview] = field(default_factory=list)
    video: Any = None  # media's Video when it is ready

    @property
    def kind_label(self) -> str:
        return str(self.file.get_file_kind_display())


def file_entries(files: Iterable[ContentFile]) -> list[FileEntry]:
    entries = []
    for file in files:
        previews = []
        if file.preview_state == ContentFile.Preview.READY and isinstance(file.preview_pages, list):
            for page, name in enumerate(file.preview_pages, start=1):
                width, height = preview_size(str(name)) or (PREVIEW_BOX, PREVIEW_BOX * 4 // 3)
                previews.append(Preview(url=reverse("library:file_preview", kwargs={"pk": file.pk, "page": page}),
                                        width=width, height=height))
        video = file.video if file.video_id and file.video is not None and file.video.is_ready else None
        entries.append(FileEntry(file=file, url=reverse("library:file", kwargs={"pk": file.pk}),
                                 size_text=size_text(file.size), previews=previews, video=video))
    return entries


def content_page_context(request: HttpRequest, content: Content) -> dict[str, Any]:
    version = version_seen_by(request.user, content)
    entries = file_entries(version_files(version))
    user = request.user
    mine = getattr(user, "is_authenticated", False) and content.author_id == user.pk
    return {
        "library_files": entries,
        "library_files_url": reverse("library:files", kwargs={"pk": content.pk}) if mine else "",
    }
