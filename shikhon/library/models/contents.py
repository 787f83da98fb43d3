"""A content of the teachers' library (decision 0012): one `Content` (the lasting thing people find, rate, adapt and
count) with its `ContentVersion`s (what the author wrote each time: draft → submitted → under review → published or
changes requested; every version kept) and each version's `ContentFile`s (checked by the shared upload checks, with
previews a 2G phone can look at before downloading).

`Content` copies the fields lists, filters and search need from the version people see (the published one, or the
latest while nothing is published yet), so the library's pages read one table; the copy is made by the services."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField, UserTextField
from shikhon.core.models import PlaceScopedModel
from shikhon.core.serving import ServedFileField
from shikhon.library.models.curriculum import GRADE_VALIDATORS


class Kind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    SLIDES = "slides", _("Slides")
    VIDEO = "video", _("Video")
    WORKSHEET = "worksheet", _("Worksheet")
    PICTURES = "pictures", _("Picture set")
    AUDIO = "audio", _("Audio")


class Language(models.TextChoices):
    BANGLA = "bn", _("Bangla")
    ENGLISH = "en", _("English")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class Content(PlaceScopedModel):
    """The lasting content: its author and place (her school and area when she made it), the version people see,
    counters, model status and lineage. `state` is the state of its latest version."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="library_contents")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    latest_version = models.ForeignKey("library.ContentVersion", verbose_name=_("latest version"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    published_version = models.ForeignKey("library.ContentVersion", verbose_name=_("published version"), null=True,
                                          blank=True, on_delete=models.SET_NULL, related_name="+")
    # Copied from the published version (or, before the first publication, the latest) for lists and filters.
    title = UserCharField(_("title"), max_length=200)
    summary = UserTextField(_("summary"), max_length=600, blank=True)
    grade = models.PositiveSmallIntegerField(_("class"), validators=GRADE_VALIDATORS)
    subject = models.ForeignKey("library.Subject", verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="+")
    topic = models.ForeignKey("library.Topic", verbose_name=_("chapter or topic"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.BANGLA)
    # Title, summary and the body's text, normalised by core.search.normalise (the same on both databases).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True, db_index=True)
    # Model content: promoted by a national or district mentor; any teacher may adapt it.
    is_model = models.BooleanField(_("model content"), default=False)
    model_since = models.DateTimeField(_("model content since"), null=True, blank=True)
    model_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made a model content by"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    # Lineage: an adaptation points at the content it was adapted from (and so at its author).
    adapted_from = models.ForeignKey("self", verbose_name=_("adapted from"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="adaptations")
    adaptations_count = models.PositiveIntegerField(_("adaptations"), default=0)
    # Moderation: hidden contents are seen only by the author and the moderators of the area (audited).
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("hidden by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    hidden_reason = UserTextField(_("why it was hidden"), max_length=500, blank=True)
    # Counters: ratings kept by the rating service; views and downloads flushed from the cache by a task;
    # used in class counted from practice records.
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    rating_average = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True,
                                         blank=True)
    mentor_score = models.DecimalField(_("mentor's score"), max_digits=3, decimal_places=2, null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    used_in_class = models.PositiveIntegerField(_("used in class"), default=0)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("content")
        verbose_name_plural = _("contents")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="content_state_published_idx"),
            models.Index(fields=["grade", "subject", "state"], name="content_grade_subject_idx"),
            models.Index(fields=["is_model", "grade", "subject"], name="content_model_idx"),
            models.Index(fields=["author", "-updated_at"], name="content_author_idx"),
            models.Index(fields=["state", "-rating_average"], name="content_rating_idx"),
            models.Index(fields=["state", "-used_in_class"], name="content_used_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:content", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None and self.hidden_at is None


class ContentVersion(models.Model):
    """What the author wrote, once: a draft she edits until she submits it; then it is reviewed and either
    published (the previous published version becomes superseded) or sent back with changes requested, and her
    next edit is a new version. Versions are never deleted."""

    content = models.ForeignKey(Content, verbose_name=_("content"), on_delete=models.CASCADE,
                                related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    title = UserCharField(_("title"), max_length=200)
    summary = UserTextField(_("summary"), max_length=600, blank=True)
    # Markdown as she wrote it; shown only as `body_html`, made from it by nh3 (library.markdown).
    body = UserTextField(_("body"), max_length=20000, blank=True)
    body_html = models.TextField(_("body (safe HTML)"), blank=True, editable=False)
    grade = models.PositiveSmallIntegerField(_("class"), validators=GRADE_VALIDATORS)
    subject = models.ForeignKey("library.Subject", verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="+")
    topic = models.ForeignKey("library.Topic", verbose_name=_("chapter or topic"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.BANGLA)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")
        ordering = ["content", "-number"]
        constraints = [models.UniqueConstraint(fields=["content", "number"], name="one_content_version_number")]
        indexes = [models.Index(fields=["state", "submitted_at"], name="version_state_submitted_idx")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class ContentFile(models.Model):
    """A file attached to a version, checked by `core.uploads` (use `library_file`, a size limit per kind), stored
    under a name we choose and served only through the library's view. A new version refers to the same stored files
    (rows copied)."""

    class FileKind(models.TextChoices):
        PDF = "pdf", _("PDF")
        SLIDES = "slides", _("Slides (PowerPoint)")
        DOCUMENT = "document", _("Document (Word)")
        PICTURE = "picture", _("Picture")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    class Preview(models.TextChoices):
        NONE = "none", _("No preview")
        PENDING = "pending", _("Preview being made")
        READY = "ready", _("Preview ready")
        FAILED = "failed", _("No preview could be made")

    version = models.ForeignKey(ContentVersion, verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="files")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    file_kind = models.CharField(_("kind of file"), max_length=10, choices=FileKind.choices)
    file = ServedFileField(_("file"), upload_to="library/%Y/%m/", max_length=300, blank=True,
                           url_name="library:file")
    original_name = UserCharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    preview_state = models.CharField(_("preview"), max_length=10, choices=Preview.choices, default=Preview.NONE)
    # The first page (PDF) or the first slides (Office files, through LibreOffice where installed) as small
    # pictures: a list of stored names (each ends in `-<width>x<height>.webp`), served by the library's view.
    preview_pages = models.JSONField(_("preview pages"), default=list, blank=True)
    # A video goes through media's pipeline (240p first, poster).
    video = models.ForeignKey("media.Video", verbose_name=_("video"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("content file")
        verbose_name_plural = _("content files")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.original_name


__all__ = ["Content", "ContentFile", "ContentVersion", "Kind", "Language", "State"]
