"""The files part's background job: a file's previews (thin, idempotent: a second run finds them made)."""

from __future__ import annotations

from django_tasks import task


@task()
def file_preview_task(*, file_id: int) -> str:
    """Make the previews of one library file (PDF pages, Office pages through LibreOffice where installed, a small
    picture, or the video's variants through media). Answers the preview state ("" when the file is gone)."""
    from shikhon.library.services.files import file_preview_make

    file = file_preview_make(file_id=file_id)
    return "" if file is None else str(file.preview_state)
