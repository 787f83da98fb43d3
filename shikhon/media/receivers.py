"""Reactions of media to events of other rooms. No logic here: each receiver calls a service."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from shikhon.core.reaper import task_given_up

VIDEO_TASK = "shikhon.media.tasks.video_process_task"


@receiver(task_given_up, dispatch_uid="media.video_task_given_up")
def video_task_given_up(sender: str, kwargs: dict[str, Any], **_: Any) -> None:
    if sender != VIDEO_TASK or not isinstance(kwargs.get("video_id"), int):
        return
    from shikhon.media.services import video_processing_given_up

    video_processing_given_up(video_id=kwargs["video_id"])
