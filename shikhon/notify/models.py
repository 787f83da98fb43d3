"""In-app notifications and each person's choice of what also comes by SMS."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEMBERSHIP_APPROVED = "membership_approved", _("My school membership is approved")
    MEMBERSHIP_REJECTED = "membership_rejected", _("My school membership is not approved")
    ADDED_TO_SCHOOL = "added_to_school", _("I am added to a school")
    COURSE_SUBMITTED = "course_submitted", _("A course waits for my review")
    COURSE_PUBLISHED = "course_published", _("My course is published")
    COURSE_RETURNED = "course_returned", _("My course is returned with comments")
    VIDEO_READY = "video_ready", _("My uploaded video is ready")
    VIDEO_FAILED = "video_failed", _("My uploaded video could not be processed")
    CERTIFICATE_ISSUED = "certificate_issued", _("I earn a certificate")
    CERTIFICATE_REVOKED = "certificate_revoked", _("My certificate is revoked")
    TRAINING_INVITED = "training_invited", _("I am invited to a face-to-face training")
    TRAINING_COMPLETED = "training_completed", _("My face-to-face training is recorded as completed")


class Notification(models.Model):
    """One event told to one person. `event_key` names the event, so it is told once however often
    the code that reports it runs (a retried task, a double tap)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
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

    @property
    def text(self) -> str:
        from shikhon.notify.messages import render

        return render(self.kind, self.params)


class SmsPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="sms_preferences")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    sms = models.BooleanField(_("also by SMS"))

    class Meta:
        verbose_name = _("SMS choice")
        verbose_name_plural = _("SMS choices")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_sms_choice_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} sms={self.sms}"
