"""Offline packs: a zip of published contents (by grade, subject or model contents) with a static Bangla HTML index
that works opened from a USB stick, the files and previews, and a manifest with the sha256 of every file. Built by a
task that reports its progress on the row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField
from shikhon.core.models import PlaceScopedModel
from shikhon.core.serving import ServedFileField
from shikhon.library.models.curriculum import GRADE_VALIDATORS


class OfflinePack(PlaceScopedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be built")

    title = UserCharField(_("name"), max_length=120)
    grade = models.PositiveSmallIntegerField(_("class"), null=True, blank=True, validators=GRADE_VALIDATORS)
    subject = models.ForeignKey("library.Subject", verbose_name=_("subject"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    model_only = models.BooleanField(_("model contents only"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("contents done"), default=0)
    progress_total = models.PositiveIntegerField(_("contents in all"), default=0)
    file = ServedFileField(_("zip file"), upload_to="packs/%Y/%m/", max_length=300, blank=True,
                           url_name="library:pack_download")
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.CharField(_("what went wrong"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("built by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The build that holds the pack (services.packs._claim): a random token, and when it last wrote its progress.
    build_token = models.CharField(max_length=32, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("offline pack")
        verbose_name_plural = _("offline packs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:pack", kwargs={"pk": self.pk})
