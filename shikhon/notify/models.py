"""In-app notifications and each person's choice of what also comes by SMS."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shikhon.core.registry import RegisteredName

# Kinds are plain strings checked against the registry that each app fills (shikhon/notify/registry.py):
# adding a kind touches only the app that owns it, and no migration here.
KIND = "shikhon.notify.registry.notification_kinds"


class Notification(models.Model):
    """One event told to one person. `event_key` names the event, so it is told once however often
    the code that reports it runs (a retried task, a double tap)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, validators=[RegisteredName(KIND)])
    event_key = models.CharField(_("event"), max_length=120)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class SmsPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="sms_preferences")
    kind = models.CharField(_("kind"), max_length=40, validators=[RegisteredName(KIND)])
    sms = models.BooleanField(_("also by SMS"))

    class Meta:
        verbose_name = _("SMS choice")
        verbose_name_plural = _("SMS choices")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_sms_choice_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} sms={self.sms}"
