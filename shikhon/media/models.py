"""Uploaded videos and what processing makes of them: a low-bitrate variant for 2G, a 360p variant,
a poster image and the duration."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _original_path(instance: Video, filename: str) -> str:
    return f"videos/{instance.public_id}/original"


class Video(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    original = models.FileField(_("original file"), upload_to=_original_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
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
