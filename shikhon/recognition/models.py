"""Recognition: the weekly content champions (issue 12, decision 0012). Points, badges and competitions come later.

A `ChampionWeek` is one week (starting on a Sunday, Dhaka's calendar) computed by a formula whose version and numbers
it keeps; its three `Champion`s keep the numbers that decided them, so the page explains each one even after the
formula changes. Status: computed → confirmed (optional, by a national admin or national mentor) → announced."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.models import PlaceScopedModel

SUNDAY = 6  # date.weekday()


class ChampionWeek(models.Model):
    class Status(models.TextChoices):
        COMPUTED = "computed", _("Computed, not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        ANNOUNCED = "announced", _("Announced")

    starts_on = models.DateField(_("week starting on"), unique=True)  # a Sunday, Dhaka's calendar
    formula_version = models.PositiveSmallIntegerField(_("formula version"))
    formula = models.JSONField(_("formula's numbers"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPUTED)
    candidates = models.PositiveIntegerField(_("teachers who took part"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("computed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("champions' week")
        verbose_name_plural = _("champions' weeks")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["status", "-starts_on"], name="champion_week_status_idx")]

    def __str__(self) -> str:
        return self.starts_on.isoformat()

    def get_absolute_url(self) -> str:
        return reverse("recognition:week", kwargs={"starts_on": self.starts_on.isoformat()})

    def clean(self) -> None:
        if self.starts_on and self.starts_on.weekday() != SUNDAY:
            raise ValidationError({"starts_on": _("A champions' week starts on a Sunday.")})

    @property
    def is_announced(self) -> bool:
        return self.status == self.Status.ANNOUNCED


class Champion(PlaceScopedModel):
    """One of a week's three: her rank, score, the numbers that decided it (`numbers`, see formula.Formula.score),
    where she worked (place ids) and, for the public shares, whether she is a woman and her school rural (None:
    not known) as they were that week."""

    week = models.ForeignKey(ChampionWeek, verbose_name=_("week"), on_delete=models.CASCADE,
                             related_name="champions")
    rank = models.PositiveSmallIntegerField(_("place"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    numbers = models.JSONField(_("the numbers that decided it"))
    is_woman = models.BooleanField(_("a woman"), null=True, blank=True)
    is_rural = models.BooleanField(_("from a rural school"), null=True, blank=True)

    class Meta:
        verbose_name = _("champion")
        verbose_name_plural = _("champions")
        ordering = ["week", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["week", "rank"], name="one_champion_per_rank"),
            models.UniqueConstraint(fields=["week", "teacher"], name="champion_once_a_week"),
            models.CheckConstraint(condition=models.Q(rank__gte=1, rank__lte=3), name="champion_rank_one_to_three"),
        ]

    def __str__(self) -> str:
        return f"{self.week_id} #{self.rank}"
