"""Supported practice (decision 0011): plans and records of activities tried in class, school and cluster
circles with their meetings, lesson observations with the teacher's consent, learner checks (learners as codes
only), each teacher's "ongoing user" status history, and the rules (as data) that decide status and the
certificate of practice.

Every row a person makes is place-scoped (`PlaceScopedModel`: the ids of the teacher's school and area at the time,
set by the service) and carries a `client_id` (a UUID made on the phone or by the form, unique), so the outbox and
the API can send it again and nothing is made twice."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField, UserTextField
from shikhon.core.models import PlaceScopedModel
from shikhon.core.serving import ServedImageField

GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]
RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Rule(models.Model):
    """A versioned definition, kept as data: the ongoing-user rule or the certificate-of-practice rule. The newest
    version in force is used; a status or a certificate names the version that decided it. `params` is read by
    `rules.py` (pydantic), which also writes the sentence shown wherever the rule applies."""

    class Kind(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing user")
        CERTIFICATE = "certificate", _("Certificate of practice")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    params = models.JSONField(_("numbers"))
    in_force_from = models.DateField(_("in force from"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="one_rule_version")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class PracticePlan(PlaceScopedModel):
    """A teacher's plan to try an activity with a class on a day. Made by her, or at a circle meeting."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        TAUGHT = "taught", _("Taught")
        NOT_WORKING = "not_working", _("Tried, did not work")
        DROPPED = "dropped", _("Dropped")

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                                related_name="practice_plans")
    # What she will try: a course's activity, or a library content (exactly one: `plan_names_one_thing`).
    activity = models.ForeignKey("courses.Activity", verbose_name=_("activity"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    content = models.ForeignKey("library.Content", verbose_name=_("library content"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("class"), validators=GRADE_VALIDATORS)
    section = UserCharField(_("section"), max_length=20, blank=True)
    planned_on = models.DateField(_("planned date"))
    materials = UserTextField(_("materials to prepare"), blank=True, max_length=1000)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED)
    meeting = models.ForeignKey("practice.Meeting", verbose_name=_("planned at meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("practice plan")
        verbose_name_plural = _("practice plans")
        ordering = ["planned_on", "pk"]
        indexes = [
            models.Index(fields=["teacher", "state", "planned_on"], name="plan_teacher_state_idx"),
            models.Index(fields=["school_id", "state", "planned_on"], name="plan_school_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(activity__isnull=False, content__isnull=True)
                           | models.Q(activity__isnull=True, content__isnull=False)),
                name="plan_names_one_thing"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id or f'content {self.content_id}'} @ {self.planned_on}"

    @property
    def practised(self) -> Any:
        """What she plans to try: the activity, else the library content (both have a `title`)."""
        return self.activity if self.activity_id is not None else self.content

    def get_absolute_url(self) -> str:
        return reverse("practice:plan", kwargs={"pk": self.pk})


class PracticeRecord(PlaceScopedModel):
    """What happened when she taught an activity (or tried it and it did not work: that is practice too)."""

    class Outcome(models.TextChoices):
        TAUGHT = "taught", _("Taught it")
        NOT_WORKING = "not_working", _("Tried, it did not work")

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                                related_name="practice_records")
    plan = models.OneToOneField(PracticePlan, verbose_name=_("plan"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="record")
    # What she taught: a course's activity, or a library content (exactly one: `record_names_one_thing`).
    activity = models.ForeignKey("courses.Activity", verbose_name=_("activity"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    content = models.ForeignKey("library.Content", verbose_name=_("library content"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    # The activity's module and course family, copied in so history and the rules group without joins (empty for
    # a library content: such a record is practice, but no course's certificate counts it).
    module = models.ForeignKey("courses.Module", verbose_name=_("module"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    family = models.UUIDField(_("course family"), null=True, blank=True, db_index=True)
    grade = models.PositiveSmallIntegerField(_("class"), validators=GRADE_VALIDATORS)
    section = UserCharField(_("section"), max_length=20, blank=True)
    taught_on = models.DateField(_("taught on"))
    outcome = models.CharField(_("what happened"), max_length=12, choices=Outcome.choices, default=Outcome.TAUGHT)
    learners_present = models.PositiveSmallIntegerField(_("learners present"), null=True, blank=True,
                                                        validators=[MaxValueValidator(200)])
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True,
                                               validators=[MinValueValidator(1), MaxValueValidator(240)])
    rating = models.PositiveSmallIntegerField(_("how it went (1–5)"), null=True, blank=True,
                                              validators=RATING_VALIDATORS)
    what_worked = UserTextField(_("what worked"), blank=True, max_length=2000)
    what_to_change = UserTextField(_("what I would change"), blank=True, max_length=2000)
    why_not = UserTextField(_("why it did not work"), blank=True, max_length=2000)
    photo = ServedImageField(_("photo of the board or learners' work"), upload_to="practice/%Y/%m/",
                             max_length=300, blank=True, url_name="practice:record_photo")
    shared_with_circle = models.BooleanField(_("share with my school's circle"), default=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("practice record")
        verbose_name_plural = _("practice records")
        ordering = ["-taught_on", "-pk"]
        indexes = [
            models.Index(fields=["teacher", "taught_on"], name="record_teacher_day_idx"),
            models.Index(fields=["school_id", "taught_on"], name="record_school_day_idx"),
            models.Index(fields=["upazila_id", "taught_on"], name="record_upazila_day_idx"),
            models.Index(fields=["content", "taught_on"], condition=models.Q(content__isnull=False),
                         name="record_content_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(activity__isnull=False, content__isnull=True, module__isnull=False,
                                    family__isnull=False)
                           | models.Q(activity__isnull=True, content__isnull=False, module__isnull=True,
                                      family__isnull=True)),
                name="record_names_one_thing"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id or f'content {self.content_id}'} @ {self.taught_on}"

    @property
    def practised(self) -> Any:
        """What she taught: the activity, else the library content (both have a `title`)."""
        return self.activity if self.activity_id is not None else self.content

    def get_absolute_url(self) -> str:
        return reverse("practice:record", kwargs={"pk": self.pk})


class Encouragement(models.Model):
    """A colleague's 👍 and a short comment on a record shared with the circle (one each)."""

    record = models.ForeignKey(PracticeRecord, verbose_name=_("practice record"), on_delete=models.CASCADE,
                               related_name="encouragements")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.CASCADE,
                               related_name="+")
    comment = UserCharField(_("comment"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("encouragement")
        verbose_name_plural = _("encouragements")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["record", "author"], name="one_encouragement_each")]

    def __str__(self) -> str:
        return f"{self.author_id} → {self.record_id}"


class Circle(PlaceScopedModel):
    """A school's circle (led by its head teacher) or a cluster's (led by its mentor or an officer). Members are
    worked out from current roles, not stored."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School circle")
        CLUSTER = "cluster", _("Cluster circle")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    school = models.OneToOneField("places.School", verbose_name=_("school"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="practice_circle")
    cluster = models.OneToOneField("places.Cluster", verbose_name=_("cluster"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="practice_circle")
    # The next meeting, when the leader has set it (teachers are reminded the day before).
    next_meeting_on = models.DateField(_("next meeting"), null=True, blank=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("circle")
        verbose_name_plural = _("circles")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="school", school__isnull=False, cluster__isnull=True)
                           | models.Q(kind="cluster", school__isnull=True, cluster__isnull=False)),
                name="circle_has_its_place"),
        ]

    def __str__(self) -> str:
        return str(self.school or self.cluster)

    def get_absolute_url(self) -> str:
        return reverse("practice:circle", kwargs={"pk": self.pk})


class Meeting(PlaceScopedModel):
    """A circle's meeting: who came, which activities were looked at, a photo of the materials made, the
    reflections shared from last time's practice, and the plans made (they become `PracticePlan`s)."""

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    circle = models.ForeignKey(Circle, verbose_name=_("circle"), on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("who came"), blank=True,
                                       related_name="practice_meetings")
    activities = models.ManyToManyField("courses.Activity", verbose_name=_("activities looked at"), blank=True,
                                        related_name="+")
    reflections = models.ManyToManyField(PracticeRecord, verbose_name=_("reflections shared"), blank=True,
                                         related_name="shared_at")
    notes = UserTextField(_("notes"), blank=True, max_length=3000)
    materials_photo = ServedImageField(_("photo of the materials made"), upload_to="practice/%Y/%m/",
                                       max_length=300, blank=True, url_name="practice:meeting_photo")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("circle meeting")
        verbose_name_plural = _("circle meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["circle", "held_on"], name="meeting_circle_day_idx")]

    def __str__(self) -> str:
        return f"{self.circle_id} @ {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("practice:meeting", kwargs={"pk": self.pk})


class Instrument(models.Model):
    """A versioned lesson-observation form, as data (`definition`, read by `instruments.py`): items grouped in
    sections, each with levels and their descriptors in Bangla and English; optionally time-on-task snapshots."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    title_bn = UserCharField(_("title (Bangla)"), max_length=200)
    title_en = UserCharField(_("title (English)"), max_length=200)
    attribution = UserTextField(_("attribution"), blank=True)
    definition = models.JSONField(_("items and levels"))
    is_default = models.BooleanField(_("offered first"), default=False)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation instrument")
        verbose_name_plural = _("observation instruments")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_instrument_version")]

    def __str__(self) -> str:
        return f"{self.title_bn} v{self.version}"


class Observation(PlaceScopedModel):
    """A lesson observation: proposed by an observer, agreed (or declined, or another date asked) by the teacher,
    then recorded as append-only `ObservationEntry` rows (two phones, two entries; nothing overwritten)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the teacher's answer")
        AGREED = "agreed", _("Agreed")
        OTHER_DATE = "other_date", _("Another date asked")
        DECLINED = "declined", _("Declined")
        RECORDED = "recorded", _("Recorded")
        CANCELLED = "cancelled", _("Cancelled")

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher observed"),
                                on_delete=models.CASCADE, related_name="observations_of")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("observer"), on_delete=models.PROTECT,
                                 related_name="observations_by")
    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT,
                                   related_name="+")
    activity = models.ForeignKey("courses.Activity", verbose_name=_("activity taught"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    proposed_on = models.DateField(_("proposed date"))
    message = UserTextField(_("message to the teacher"), blank=True, max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    answer_note = UserTextField(_("teacher's answer"), blank=True, max_length=500)
    asked_date = models.DateField(_("date the teacher asked for"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The observation of her before this one by any observer: its "things to try" are followed up here.
    follows = models.ForeignKey("self", verbose_name=_("follows up"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson observation")
        verbose_name_plural = _("lesson observations")
        ordering = ["-proposed_on", "-pk"]
        indexes = [
            models.Index(fields=["teacher", "status", "observed_on"], name="obs_teacher_idx"),
            models.Index(fields=["school_id", "observed_on"], name="obs_school_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} @ {self.proposed_on}"

    def get_absolute_url(self) -> str:
        return reverse("practice:observation", kwargs={"pk": self.pk})


class ObservationEntry(models.Model):
    """One phone's record of a visit: strengths first, ratings per item, at most three things to try, the
    follow-up of the last visit's things to try. Never updated or deleted (append-only)."""

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    observation = models.ForeignKey(Observation, verbose_name=_("observation"), on_delete=models.CASCADE,
                                    related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT,
                               related_name="+")
    strengths = UserTextField(_("strengths"), max_length=2000)
    ratings = models.JSONField(_("ratings"), default=dict)  # item code → level (instrument's vocabulary)
    snapshots = models.JSONField(_("time-on-task snapshots"), default=list)
    follow_up = models.JSONField(_("follow-up of the last visit"), default=dict)  # try-next id → progress
    notes = UserTextField(_("other notes"), blank=True, max_length=3000)
    claimed_at = models.DateTimeField(_("made on the phone at"), null=True, blank=True)  # a claim, never proof
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation entry")
        verbose_name_plural = _("observation entries")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.observation_id}#{self.pk}"


class TryNext(models.Model):
    """One of at most three concrete things to try, each linked to an activity or a module that helps."""

    entry = models.ForeignKey(ObservationEntry, verbose_name=_("observation entry"), on_delete=models.CASCADE,
                              related_name="try_next")
    position = models.PositiveSmallIntegerField(_("position"))
    text = UserCharField(_("thing to try"), max_length=300)
    activity = models.ForeignKey("courses.Activity", verbose_name=_("activity that helps"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    module = models.ForeignKey("courses.Module", verbose_name=_("module that helps"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("thing to try")
        verbose_name_plural = _("things to try")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="one_try_next_per_position"),
            models.CheckConstraint(condition=models.Q(position__gte=1, position__lte=3), name="at_most_three_to_try"),
        ]

    def __str__(self) -> str:
        return self.text


class ObservationReply(models.Model):
    """The observed teacher's reply to an observation."""

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    observation = models.ForeignKey(Observation, verbose_name=_("observation"), on_delete=models.CASCADE,
                                    related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.CASCADE,
                               related_name="+")
    text = UserTextField(_("reply"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply to an observation")
        verbose_name_plural = _("replies to observations")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.text[:30]}"


class LearnerCheck(models.Model):
    """A short check for a class (items as data, `definition`: item code, prompt in Bangla and English, skill)."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    title_bn = UserCharField(_("title (Bangla)"), max_length=200)
    title_en = UserCharField(_("title (English)"), max_length=200)
    grade_from = models.PositiveSmallIntegerField(_("from class"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("to class"), default=2)
    definition = models.JSONField(_("items"))

    class Meta:
        verbose_name = _("learner check")
        verbose_name_plural = _("learner checks")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_check_version")]

    def __str__(self) -> str:
        return f"{self.title_bn} v{self.version}"


class CheckRound(PlaceScopedModel):
    """A baseline or follow-up round of a check with one class. Learners are codes only (no names, no photos)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    client_id = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                                related_name="check_rounds")
    learner_check = models.ForeignKey(LearnerCheck, verbose_name=_("check"), on_delete=models.PROTECT,
                                      related_name="+")
    kind = models.CharField(_("round"), max_length=10, choices=Kind.choices)
    grade = models.PositiveSmallIntegerField(_("class"), validators=GRADE_VALIDATORS)
    section = UserCharField(_("section"), max_length=20, blank=True)
    held_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check round")
        verbose_name_plural = _("check rounds")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["teacher", "grade", "section", "held_on"], name="round_class_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.grade}{self.section} @ {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("practice:check_round", kwargs={"pk": self.pk})


class CheckResult(models.Model):
    round = models.ForeignKey(CheckRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results")
    learner_code = models.CharField(_("learner code"), max_length=12)
    item = models.CharField(_("item"), max_length=40)
    correct = models.BooleanField(_("right"))

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        constraints = [models.UniqueConstraint(fields=["round", "learner_code", "item"], name="one_result_per_item")]

    def __str__(self) -> str:
        return f"{self.learner_code} {self.item} {self.correct}"


class OngoingStatus(PlaceScopedModel):
    """One evaluation of a teacher against the ongoing-user rule: newest first is her history. `is_latest` marks
    her current row (one per teacher, a partial unique constraint), so area counts are one indexed query."""

    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                                related_name="ongoing_statuses")
    is_ongoing = models.BooleanField(_("ongoing user"))
    rule_version = models.PositiveSmallIntegerField(_("rule version"))
    counts = models.JSONField(_("what decided it"), default=dict)
    evaluated_on = models.DateField(_("evaluated on"))
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    is_latest = models.BooleanField(_("latest"), default=True)

    class Meta:
        verbose_name = _("ongoing-user status")
        verbose_name_plural = _("ongoing-user statuses")
        ordering = ["-evaluated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["teacher"], condition=models.Q(is_latest=True),
                                               name="one_latest_status_per_teacher")]
        indexes = [
            models.Index(fields=["is_latest", "is_ongoing", "upazila_id"], name="ongoing_upazila_idx"),
            models.Index(fields=["is_latest", "is_ongoing", "district_id"], name="ongoing_district_idx"),
            models.Index(fields=["is_latest", "is_ongoing", "school_id"], name="ongoing_school_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.is_ongoing} {self.evaluated_on}"


class Nudge(models.Model):
    """A nudge sent to a teacher (in-app, SMS if she chose it): at most one a week, never at night. `key` names
    the event it was for, so the same event never nudges twice."""

    class Kind(models.TextChoices):
        MODULE_WITHOUT_PLAN = "module_without_plan", _("Finished a module without a plan")
        PLAN_OVERDUE = "plan_overdue", _("A planned date passed without a record")
        MEETING_TOMORROW = "meeting_tomorrow", _("The circle meets tomorrow")

    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                                related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    key = models.CharField(_("for"), max_length=80, unique=True)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        indexes = [models.Index(fields=["teacher", "sent_on"], name="nudge_teacher_day_idx")]

    def __str__(self) -> str:
        return self.key
