"""Face-to-face training: programmes with an eligibility rule, batches with venue, dates, capacity,
trainers and costs; invitations, daily attendance, completion; costs of online courses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField, UserTextField
from shikhon.core.models import PlaceScopedModel, TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "default": 0}


class Programme(TimeStampedModel):
    """A kind of face-to-face training, e.g. "Week of joyful maths, grades 1–2"."""

    title = UserCharField(_("title"), max_length=200)
    description = UserTextField(_("description"), blank=True)
    # Eligibility: holds a (not revoked) certificate of any version of this course.
    required_course = models.ForeignKey("courses.Course", verbose_name=_("certificate required of course"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    required_family = models.UUIDField(_("course family required"), null=True, blank=True, db_index=True)
    days = models.PositiveSmallIntegerField(_("days"), default=6)
    # A training certificate states the hours: the batch's days × these.
    hours_per_day = models.PositiveSmallIntegerField(_("hours of training a day"), default=6)
    is_active = models.BooleanField(_("open for new batches"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Batch(TimeStampedModel, PlaceScopedModel):
    """Held in an upazila, which is a foreign key here (in place of the plain id), so its district and
    division are always known and required; a batch belongs to no school."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="batches")
    title = UserCharField(_("name"), max_length=200)
    school_id = None
    upazila_id = None
    # Indexed by batch_upazila_idx (upazila, starts_on), which serves "batches of these upazilas" too.
    upazila = models.ForeignKey("places.Upazila", verbose_name=_("upazila"), on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    district_id = models.BigIntegerField(_("district"), db_index=True)
    division_id = models.BigIntegerField(_("division"), db_index=True)
    venue = UserCharField(_("venue (institute)"), max_length=255)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=30)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True,
                                      related_name="+")
    trainer_names = UserCharField(_("other trainers"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Counts the changes of dates or venue invitees were told about: each change tells them once.
    schedule_revision = models.PositiveIntegerField(_("schedule changes"), default=0)
    cancel_reason = UserCharField(_("why it was cancelled"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cost_venue = models.DecimalField(_("venue (BDT)"), **MONEY)
    cost_allowances = models.DecimalField(_("allowances (BDT)"), **MONEY)
    cost_materials = models.DecimalField(_("materials (BDT)"), **MONEY)
    cost_trainers = models.DecimalField(_("trainers (BDT)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organised by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("training batch")
        verbose_name_plural = _("training batches")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["upazila", "starts_on"], name="batch_upazila_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="batch_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:batch", kwargs={"pk": self.pk})


class Invitation(PlaceScopedModel):
    """Placed at the teacher's school when she is invited (`PlaceScopedModel`)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    # Indexed by one_invitation_per_batch (batch, teacher), which it leads.
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="invitations",
                              db_index=False)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE,
                                related_name="training_invitations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    withdraw_reason = UserCharField(_("why it was withdrawn"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The training certificate issued for this completion (certificates cannot point back: decision 0010).
    certificate = models.OneToOneField("certificates.Certificate", verbose_name=_("training certificate"),
                                       null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("training invitation")
        verbose_name_plural = _("training invitations")
        ordering = ["batch", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "teacher"], name="one_invitation_per_batch")]

    def __str__(self) -> str:
        return f"{self.teacher_id} → {self.batch_id} ({self.status})"


class Attendance(models.Model):
    invitation = models.ForeignKey(Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE,
                                   related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["invitation", "day"], name="one_attendance_per_day")]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.day} {'present' if self.present else 'absent'}"


class CourseCost(models.Model):
    """What an online course cost in a year, in BDT, so cost per trained teacher can be computed."""

    course = models.ForeignKey("courses.Course", verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="+")
    family = models.UUIDField(_("course family"), db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    development = models.DecimalField(_("development (BDT)"), **MONEY)
    hosting = models.DecimalField(_("hosting (BDT)"), **MONEY)
    sms = models.DecimalField(_("SMS (BDT)"), **MONEY)
    other = models.DecimalField(_("other (BDT)"), **MONEY)
    note = UserCharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("online course cost")
        verbose_name_plural = _("online course costs")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["family", "year"], name="one_cost_per_course_year")]

    def __str__(self) -> str:
        return f"{self.family} {self.year}"
