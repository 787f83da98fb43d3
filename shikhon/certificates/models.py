"""Certificates: of a completed course (one per enrolment) and of a completed face-to-face training (one per
invitation, asked for by `training` with a key of its own, decision 0010); a PDF each, and a public code anyone
can verify."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shikhon.core.clock import dhaka_today
from shikhon.core.fields import UserCharField
from shikhon.core.models import PlaceScopedModel


class Certificate(PlaceScopedModel):
    """Placed where the enrolment (or the training invitation) was, its ids copied at issue, so officers'
    filters are an indexed IN.

    A course certificate points at its enrolment; a training certificate knows nothing of `training` (which
    sits above this app): it carries the `issue_key` training gave it (unique, so issuing is once) and a
    snapshot of what was studied — title, hours, venue and days — like every certificate does."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        TRAINING = "training", _("Face-to-face training")
        PRACTICE = "practice", _("Certificate of practice")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COURSE)
    enrolment = models.OneToOneField("courses.Enrolment", verbose_name=_("enrolment"), on_delete=models.PROTECT,
                                     related_name="certificate", null=True, blank=True)
    # Who asked for a certificate that has no enrolment, and for what ("training-invitation:42"): issue once.
    issue_key = models.CharField(_("issued for"), max_length=80, unique=True, null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT,
                             related_name="certificates")
    course = models.ForeignKey("courses.Course", verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="+", null=True, blank=True)
    family = models.UUIDField(_("course family"), db_index=True, null=True, blank=True)
    # Unguessable (about 80 bits), in an alphabet that is easy to read aloud and type.
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    # What the certificate says, as it said it on the day it was issued.
    holder_name_bn = UserCharField(_("holder's name (Bangla)"), max_length=150)
    holder_name_en = UserCharField(_("holder's name (English)"), max_length=150, blank=True)
    school_name = UserCharField(_("school"), max_length=255, blank=True)
    # The course's title, or the training programme's.
    course_title = UserCharField(_("title"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("hours of study"), null=True, blank=True)
    venue = UserCharField(_("venue"), max_length=255, blank=True)
    held_from = models.DateField(_("first day"), null=True, blank=True)
    held_to = models.DateField(_("last day"), null=True, blank=True)
    # A course certificate: the face-to-face training it makes her eligible for ("" = the training in general).
    eligible_for = UserCharField(_("eligible for"), max_length=300, blank=True)
    authority_bn = UserCharField(_("issuing authority (Bangla)"), max_length=200, blank=True)
    authority_en = UserCharField(_("issuing authority (English)"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    # Dhaka's date of `issued_at`, stored once (by the issuing service): the page, the PDF and the API print
    # this one. The default serves rows made directly (tests, the demo), issued now.
    issued_on = models.DateField(_("issued on"), default=dhaka_today)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", max_length=300, blank=True)
    # The public address the stored PDF prints and encodes in its QR code (SHIKHON_PUBLIC_URL when it was drawn).
    pdf_public_url = models.CharField(_("address printed in the PDF"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoke_reason = UserCharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="course", enrolment__isnull=False, course__isnull=False,
                                    family__isnull=False)
                           | models.Q(kind__in=["training", "practice"], enrolment__isnull=True,
                                      issue_key__isnull=False)),
                name="certificate_kind_has_its_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.course_title}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", kwargs={"pk": self.pk})

    @property
    def is_training(self) -> bool:
        return self.kind == self.Kind.TRAINING

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_verify_url(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.code})
