"""What teachers say about published contents: ratings (one per teacher, changeable), comments, and reports of
problems into the moderation queue of the area's mentors and officers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserTextField
from shikhon.core.models import PlaceScopedModel


class Rating(models.Model):
    """One teacher's 1–5 for one content; changing it updates the row (`updated_at` decides the week it counts in
    for champions). `rater_school_id` is her school when she rated: ratings from the author's own school are capped
    in the champions formula."""

    content = models.ForeignKey("library.Content", verbose_name=_("content"), on_delete=models.CASCADE,
                                related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.CASCADE,
                              related_name="+")
    stars = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    rater_school_id = models.BigIntegerField(_("rater's school"), null=True, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["content", "rater"], name="one_rating_per_teacher"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="rating_one_to_five"),
        ]
        indexes = [models.Index(fields=["updated_at"], name="rating_updated_idx")]

    def __str__(self) -> str:
        return f"{self.content_id}: {self.stars}"


class Comment(models.Model):
    content = models.ForeignKey("library.Content", verbose_name=_("content"), on_delete=models.CASCADE,
                                related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.CASCADE,
                               related_name="+")
    body = UserTextField(_("comment"), max_length=1000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("hidden by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content", "created_at"], name="comment_content_idx")]

    def __str__(self) -> str:
        return self.body[:40]


class Report(PlaceScopedModel):
    """A teacher's report of a problem with a content. Carries the content's place ids, so the moderation queue of
    an area is one indexed IN. Handled by hiding the content (upheld) or dismissing the report; both audited."""

    class Reason(models.TextChoices):
        COPYRIGHT = "copyright", _("Copied without permission")
        WRONG = "wrong", _("Wrong or misleading content")
        ABUSE = "abuse", _("Abusive or unsuitable")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Content hidden")
        DISMISSED = "dismissed", _("No problem found")

    content = models.ForeignKey("library.Content", verbose_name=_("content"), on_delete=models.CASCADE,
                                related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE,
                                 related_name="+")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = UserTextField(_("what is wrong"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["content", "reporter"], condition=models.Q(status="open"),
                                    name="one_open_report_per_reporter"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_idx")]

    def __str__(self) -> str:
        return f"{self.content_id}: {self.reason}"
