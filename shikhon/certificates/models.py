"""Certificates of completed courses: one per enrolment, a PDF, and a public code anyone can verify."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.fields import UserCharField
from shikhon.core.models import PlaceScopedModel


class Certificate(PlaceScopedModel):
    """Placed where the enrolment was (its ids copied at issue), so officers' filters are an indexed IN."""

    enrolment = models.OneToOneField("courses.Enrolment", verbose_name=_("enrolment"), on_delete=models.PROTECT,
                                     related_name="certificate")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT,
                             related_name="certificates")
    course = models.ForeignKey("courses.Course", verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="+")
    family = models.UUIDField(_("course family"), db_index=True)
    # Unguessable (about 80 bits), in an alphabet that is easy to read aloud and type.
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    # What the certificate says, as it said it on the day it was issued.
    holder_name_bn = UserCharField(_("holder's name (Bangla)"), max_length=150)
    holder_name_en = UserCharField(_("holder's name (English)"), max_length=150, blank=True)
    school_name = UserCharField(_("school"), max_length=255, blank=True)
    course_title = UserCharField(_("course title"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"))
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoke_reason = UserCharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.code} — {self.course_title}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", kwargs={"pk": self.pk})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_verify_url(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.code})
