"""The curriculum tree a content is filed under: subjects (with the grades they are taught in) and, per subject and
grade, chapters and the topics inside them. Bangla and English names; seeded by migration 0002 from
`library/curriculum.json` (primary grades 1–5, secondary 6–10)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(10)]


class BilingualName(models.Model):
    name_bn = models.CharField(_("name (Bangla)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (translation.get_language() or "bn").startswith("en") and self.name_en:
            return self.name_en
        return self.name_bn


class Subject(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    grade_from = models.PositiveSmallIntegerField(_("from class"), validators=GRADE_VALIDATORS)
    grade_to = models.PositiveSmallIntegerField(_("to class"), validators=GRADE_VALIDATORS)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["position", "code"]


class Topic(BilingualName):
    """A chapter (no parent) or a topic inside a chapter, of one subject in one grade."""

    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="topics")
    grade = models.PositiveSmallIntegerField(_("class"), validators=GRADE_VALIDATORS)
    parent = models.ForeignKey("self", verbose_name=_("chapter"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("chapter or topic")
        verbose_name_plural = _("chapters and topics")
        ordering = ["subject", "grade", "parent_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "grade", "number"], condition=models.Q(parent__isnull=True),
                                    name="one_chapter_number"),
            models.UniqueConstraint(fields=["parent", "number"], condition=models.Q(parent__isnull=False),
                                    name="one_topic_number"),
        ]
        indexes = [models.Index(fields=["subject", "grade"], name="topic_subject_grade_idx")]
