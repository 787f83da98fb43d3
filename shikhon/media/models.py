"""Uploaded videos and what processing makes of them: a low-bitrate variant for 2G, a 360p variant,
a poster image and the duration."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField
from shikhon.media.failures import FAILURES


def _original_path(instance: Video, filename: str) -> str:
    return f"videos/{instance.public_id}/original"


class Video(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = UserCharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    original = models.FileField(_("original file"), upload_to=_original_path, max_length=300, blank=True)
    original_name = UserCharField(_("file name"), max_length=255, blank=True)
    size_bytes = models.BigIntegerField(_("size in bytes"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROCESSING)
    # A code from media.services.FAILURES, so the reason reads in the viewer's language.
    failure_code = models.CharField(_("reason it failed"), max_length=40, blank=True)
    low = models.FileField(_("240p variant"), max_length=300, blank=True)
    standard = models.FileField(_("360p variant"), max_length=300, blank=True)
    poster = models.FileField(_("poster image"), max_length=300, blank=True)
    captions = models.FileField(_("captions (WebVTT)"), max_length=300, blank=True)
    duration_seconds = models.FloatField(_("duration in seconds"), null=True, blank=True)
    low_kbps = models.PositiveIntegerField(_("240p bitrate (kbit/s)"), null=True, blank=True)
    low_bytes = models.BigIntegerField(_("240p size in bytes"), null=True, blank=True)
    # Size of the 240p picture, for the player's width/height (no layout jump while the page loads).
    width = models.PositiveSmallIntegerField(_("width in pixels"), null=True, blank=True)
    height = models.PositiveSmallIntegerField(_("height in pixels"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.original_name or str(self.public_id)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    # Addresses of the files (served with byte ranges by media.views.serve), for templates.
    def file_url(self, variant: str) -> str:
        return reverse("media:file", kwargs={"public_id": self.public_id, "variant": variant})

    @property
    def low_url(self) -> str:
        return self.file_url("low.mp4")

    @property
    def standard_url(self) -> str:
        return self.file_url("standard.mp4") if self.standard else ""

    @property
    def poster_url(self) -> str:
        return self.file_url("poster.jpg") if self.poster else ""

    @property
    def captions_url(self) -> str:
        # Each new captions file gets a new name; the query changes with it, so a year-long cache is safe.
        if not self.captions:
            return ""
        stem = str(self.captions.name).rsplit("/", 1)[-1].removesuffix(".vtt")
        return f"{self.file_url('captions.vtt')}?v={stem.rsplit('-', 1)[-1]}"

    @property
    def duration_display(self) -> str:
        """m:ss (or h:mm:ss) for the authoring pages."""
        if self.duration_seconds is None:
            return ""
        total = round(self.duration_seconds)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def processing_overdue_minutes(self) -> int:
        """Minutes since upload when the video is still processing after SHIKHON_VIDEO_PROCESSING_OVERDUE
        seconds (the server may have restarted: the task is then retried), else 0."""
        if self.status != self.Status.PROCESSING or self.created_at is None:
            return 0
        waited = (timezone.now() - self.created_at).total_seconds()
        return int(waited // 60) if waited > settings.SHIKHON_VIDEO_PROCESSING_OVERDUE else 0

    @property
    def failure_message(self) -> str:
        """Why processing failed, as a sentence in the reader's language ("" unless it failed)."""
        if self.status != self.Status.FAILED:
            return ""
        return str(FAILURES.get(self.failure_code, FAILURES["unknown"]))

    @property
    def low_megabytes(self) -> str:
        return f"{(self.low_bytes or 0) / (1024 * 1024):.1f}"
