"""Receipts of offline writes: each outbox item's id is stored with the write it made, so a replay
answers the first result and creates nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncReceipt(models.Model):
    class Outcome(models.TextChoices):
        CREATED = "created", _("Saved")
        REJECTED = "rejected", _("Not saved")

    key = models.UUIDField(_("item id"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    result = models.JSONField(_("result"), default=dict, blank=True)
    made_at = models.DateTimeField(_("made on the phone at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sync receipt")
        verbose_name_plural = _("sync receipts")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.outcome}"
