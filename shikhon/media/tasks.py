"""Background jobs of media: thin, idempotent, safe to retry."""

from __future__ import annotations

from django_tasks import task

from shikhon.media import services
from shikhon.media.models import Video


@task()
def video_process_task(*, video_id: int) -> str:
    """Convert one uploaded video. Returns its status ("" when the video was deleted meanwhile)."""
    try:
        return str(services.video_process(video_id=video_id).status)
    except Video.DoesNotExist:
        return ""
