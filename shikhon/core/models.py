from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField
from shikhon.core.registry import RegisteredName


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Placement(Protocol):
    """Where a row belongs: a school and its upazila, district and division (any may be unknown).
    `people.selectors.placement_of(user)` answers it for a person (a frozen dataclass); another placed row answers
    it too. Read-only members, so both fit."""

    @property
    def school_id(self) -> int | None: ...
    @property
    def upazila_id(self) -> int | None: ...
    @property
    def district_id(self) -> int | None: ...
    @property
    def division_id(self) -> int | None: ...


PLACE_FIELDS = ("school_id", "upazila_id", "district_id", "division_id")


class PlaceScopedModel(models.Model):
    """A row placed at a school and its area, for "which rows" filters (`Scope.place_q`): the four ids are
    copied in when the row is made (`place_at`), each indexed, so every scope filter is an indexed `IN` on
    one table, never a join chain. Plain ids, not foreign keys: a school that moves keeps its old rows where
    they were. Nullable (a teacher may have no school yet); a subclass whose place is always known redeclares
    a column as required, and one placed by a foreign key (a batch's upazila) sets the plain id to None."""

    school_id = models.BigIntegerField(_("school"), null=True, blank=True, db_index=True)
    upazila_id = models.BigIntegerField(_("upazila"), null=True, blank=True, db_index=True)
    district_id = models.BigIntegerField(_("district"), null=True, blank=True, db_index=True)
    division_id = models.BigIntegerField(_("division"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    def place_at(self, placement: Placement | None) -> None:
        """Copy a placement's ids onto this row (not saved); None leaves the nullable ids empty. Ids a model
        does not carry as plain columns (a batch has no school) are skipped."""
        columns = {f.attname for f in self._meta.concrete_fields}
        for name in PLACE_FIELDS:
            if name in columns:
                setattr(self, name, getattr(placement, name, None) if placement is not None else None)


class AuditEvent(models.Model):
    """Who did what, when and from where: role grants, approvals, imports, token changes."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # A plain string checked against the registry each app fills (shikhon.core.audit.audit_actions).
    action = models.CharField(_("action"), max_length=40,
                              validators=[RegisteredName("shikhon.core.audit.audit_actions")])
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=60, blank=True)
    summary = UserCharField(_("summary"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class WorkerHeartbeat(models.Model):
    """One row per running task worker, touched every few seconds; /healthz reads the newest."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class TaskReap(models.Model):
    """One row each time the reaper took back a task whose worker died while running it (shikhon.core.reaper).

    The rows of one task count its reaps: after SHIKHON_TASK_MAX_REAPS the task is failed, not put back."""

    class Outcome(models.TextChoices):
        REQUEUED = "requeued", _("Put back in the queue")
        FAILED = "failed", _("Given up")

    task_id = models.UUIDField(_("task id"), db_index=True)
    task_path = models.CharField(_("task"), max_length=255)
    worker_id = models.CharField(_("dead worker"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    started_at = models.DateTimeField(_("task started at"), null=True, blank=True)
    reaped_at = models.DateTimeField(_("reaped at"), db_index=True)

    class Meta:
        verbose_name = _("reaped task")
        verbose_name_plural = _("reaped tasks")
        ordering = ["-reaped_at"]

    def __str__(self) -> str:
        return f"{self.task_path} {self.task_id} ({self.outcome})"


class SmsSent(models.Model):
    """The key of each SMS sent by `core.tasks.send_sms_task`: a task run twice sends once."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    to = models.CharField(_("to"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("sent SMS")
        verbose_name_plural = _("sent SMS")

    def __str__(self) -> str:
        return f"{self.key} → {self.to}"


class ScheduledJob(models.Model):
    """One row per periodic job (shikhon.core.schedule): the last slot a worker claimed and enqueued it for.

    A worker claims a slot with one conditional UPDATE (`… WHERE last_slot < slot`) in the transaction that
    enqueues the job's task, so however many workers check at once, each slot is enqueued once."""

    name = models.CharField(_("job"), max_length=40, unique=True)  # a periodic job's registered name
    last_slot = models.DateTimeField(_("last slot"), null=True, blank=True)  # null: never run
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    last_worker = models.CharField(_("worker"), max_length=64, blank=True)
    last_task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (last slot {self.last_slot})"
