"""Mentor review against a written rubric (the rubric is data: `Rubric` rows, versioned, seeded by migration 0003)
and the decision it carries: publish, or changes requested with feedback the author reads beside her content."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserTextField


class Rubric(models.Model):
    """The review rubric: criteria (curriculum fit, accuracy, pedagogy, use of media, accessibility), each scored
    1–4 with a descriptor per level in Bangla and English (`criteria`, read by `library.rubric`). The newest version
    in force is used; a review names the version it used."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    criteria = models.JSONField(_("criteria"))
    in_force_from = models.DateField(_("in force from"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review rubric")
        verbose_name_plural = _("review rubrics")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"rubric v{self.version}"


class Review(models.Model):
    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        CHANGES = "changes", _("Ask for changes")

    version = models.ForeignKey("library.ContentVersion", verbose_name=_("version reviewed"),
                                on_delete=models.CASCADE, related_name="reviews")
    content = models.ForeignKey("library.Content", verbose_name=_("content"), on_delete=models.CASCADE,
                                related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="+")
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("scores"))  # {criterion key: 1–4}
    average = models.DecimalField(_("average score"), max_digits=3, decimal_places=2)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    feedback = UserTextField(_("feedback"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("reviewed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["version"], name="one_review_per_version")]

    def __str__(self) -> str:
        return f"{self.content_id}: {self.decision}"
