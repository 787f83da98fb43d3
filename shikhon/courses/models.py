"""Courses (versioned) → modules → activities; a quiz per module; enrolments, progress and attempts.

A course is one *version* of a course *family*. Editing a published course makes a new draft
version (a deep copy); teachers stay enrolled in the version they started, with their progress.
`key` UUIDs on modules, activities and questions keep their identity across versions and servers
(export/import)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import localize_digits
from shikhon.core.fields import UserCharField, UserTextField
from shikhon.core.models import PlaceScopedModel, TimeStampedModel
from shikhon.core.serving import ServedFileField, ServedImageField
from shikhon.courses.codes import new_short_code


class Subject(models.TextChoices):
    MATHS = "maths", _("Mathematics")
    BANGLA = "bangla", _("Bangla")
    ENGLISH = "english", _("English")
    SCIENCE = "science", _("Science")
    SOCIAL = "social", _("Bangladesh and global studies")
    RELIGION = "religion", _("Religion and moral education")
    ARTS = "arts", _("Arts and crafts")
    PEDAGOGY = "pedagogy", _("Teaching and pedagogy")


class Course(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Replaced by a newer version")

    family = models.UUIDField(_("course family"), default=uuid.uuid4, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    slug = models.SlugField(_("web address name"), max_length=80)
    title = UserCharField(_("title"), max_length=200)
    summary = UserTextField(_("summary"), blank=True)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices, default=Subject.MATHS)
    grade_from = models.PositiveSmallIntegerField(_("from grade"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("to grade"), default=1)
    estimated_hours = models.PositiveSmallIntegerField(_("hours of study"), default=1)
    # Prerequisites name other courses; any version of that course's family counts as completed.
    prerequisites = models.ManyToManyField("self", verbose_name=_("prerequisites"), symmetrical=False,
                                           blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    review_note = UserTextField(_("review comments"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="one_course_version_number"),
            models.UniqueConstraint(fields=["slug", "version"], name="one_slug_per_version"),
            models.UniqueConstraint(fields=["family"], condition=models.Q(status="published"),
                                    name="one_published_version_per_course"),
            models.CheckConstraint(condition=models.Q(grade_to__gte=models.F("grade_from")),
                                   name="course_grades_in_order"),
        ]
        indexes = [models.Index(fields=["status", "slug"], name="course_status_slug_idx")]

    def __str__(self) -> str:
        # A choice in a list (a programme's course, prerequisites): the version in the page's words and digits.
        return str(_("%(title)s (version %(version)s)") % {"title": self.title,
                                                            "version": localize_digits(self.version)})

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", kwargs={"slug": self.slug})

    @property
    def grades_label(self) -> str:
        """"৩য় শ্রেণি" / "Grade 3", "১ম–২য় শ্রেণি" / "Grades 1–2" (`grades.grades_label`)."""
        from shikhon.courses.grades import grades_label

        return grades_label(self.grade_from, self.grade_to)


class Module(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = UserCharField(_("title"), max_length=200)
    summary = UserTextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="one_module_key_per_course")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:module", kwargs={"pk": self.pk})


class Activity(models.Model):
    """A classroom activity: a short video and the steps to do it with children."""

    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.CASCADE,
                               related_name="activities")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = UserCharField(_("title"), max_length=200)
    summary = UserTextField(_("what children learn"), blank=True)
    video = models.ForeignKey("media.Video", verbose_name=_("video"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    materials = UserTextField(_("materials"), blank=True, help_text=_("One item per line."))
    duration_minutes = models.PositiveSmallIntegerField(_("time in class (minutes)"), default=20)
    steps = UserTextField(_("steps"), blank=True, help_text=_("One step per line."))
    learner_actions = UserTextField(_("what learners do"), blank=True)
    try_prompt = UserTextField(_("try this in your class"), blank=True)
    # Served by courses:activity_sheet_file to those who may open the activity (never a /media/ address).
    sheet = ServedFileField(_("printable activity sheet"), upload_to="sheets/%Y/%m/", max_length=300, blank=True,
                            url_name="courses:activity_sheet_file")
    # Typed from a printed sheet to open this activity: short, unambiguous letters and digits.
    short_code = models.CharField(_("short code"), max_length=8, unique=True, default=new_short_code)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["module", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="one_activity_key_per_module")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:activity", kwargs={"pk": self.pk})

    @property
    def material_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class Quiz(models.Model):
    module = models.OneToOneField(Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="quiz")
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    # How many questions one attempt draws from the pool; empty: all of them.
    questions_per_attempt = models.PositiveSmallIntegerField(_("questions per attempt"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("attempt limit"), null=True, blank=True)
    retake_wait_minutes = models.PositiveIntegerField(_("wait before a retake (minutes)"), default=0)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [models.CheckConstraint(condition=models.Q(pass_percent__lte=100), name="pass_mark_is_percent")]

    def __str__(self) -> str:
        return str(self.module)

    def get_absolute_url(self) -> str:
        return reverse("courses:quiz", kwargs={"pk": self.pk})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One correct answer")
        MULTIPLE = "multiple", _("Several correct answers")
        TRUE_FALSE = "true_false", _("True or false")
        NUMERIC = "numeric", _("Number answer")

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = UserTextField(_("question"))
    image = ServedImageField(_("image"), upload_to="questions/%Y/%m/", max_length=300, blank=True,
                             url_name="courses:question_picture")
    numeric_answer = models.DecimalField(_("correct number"), max_digits=12, decimal_places=3, null=True, blank=True)
    numeric_tolerance = models.DecimalField(_("allowed difference"), max_digits=12, decimal_places=3, default=0)
    feedback = UserTextField(_("explanation shown after the answer"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = UserCharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Enrolment(PlaceScopedModel):
    """A teacher in one version of a course. The place ids (`PlaceScopedModel`) are copied from her school at
    enrolment, so officers' "which rows" filters are an indexed IN on this table."""

    # Both foreign keys lead an index already: one_enrolment_per_course (user, family) and
    # enrolment_course_done_idx (course, completed_at); a single-column index of their own would duplicate it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                             related_name="enrolments", db_index=False)
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments",
                               db_index=False)
    family = models.UUIDField(_("course family"))
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    last_activity = models.ForeignKey(Activity, verbose_name=_("last activity opened"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    last_seen_at = models.DateTimeField(_("last studied at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "family"], name="one_enrolment_per_course")]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrolment_course_done_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id}"


class ActivityProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE,
                                  related_name="progress")
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="+")
    watched_percent = models.PositiveSmallIntegerField(_("share of the video watched (%)"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "activity"], name="one_progress_per_activity"),
            models.CheckConstraint(condition=models.Q(watched_percent__lte=100), name="watched_is_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.activity_id}: {self.watched_percent}%"


class QuizAttempt(models.Model):
    """One sitting of a quiz. The questions (and the order of their choices) are drawn when the attempt
    starts and kept here, so the answers are scored against exactly what was shown."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline, synced later")

    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE,
                                  related_name="attempts")
    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    question_ids = models.JSONField(_("questions shown"), default=list)
    choice_order = models.JSONField(_("order of choices shown"), default=dict)
    started_at = models.DateTimeField(_("started at"))
    expires_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    score_percent = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    source = models.CharField(_("taken"), max_length=10, choices=Source.choices, default=Source.ONLINE)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "quiz", "number"], name="one_attempt_number")]
        indexes = [models.Index(fields=["enrolment", "quiz", "passed"], name="attempt_passed_idx")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.quiz_id} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("courses:attempt", kwargs={"pk": self.pk})
