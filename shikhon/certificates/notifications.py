"""The notifications certificates sends, with their words; registered from CertificatesConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

CERTIFICATE_ISSUED = "certificate_issued"
CERTIFICATE_REVOKED = "certificate_revoked"


def register() -> None:
    for kind in (
        NotificationKind(CERTIFICATE_ISSUED, _("I earn a certificate"), _(
            "Congratulations! Your certificate for %(course)s is ready. Code: %(code)s"), sms_by_default=True),
        NotificationKind(CERTIFICATE_REVOKED, _("My certificate is revoked"), _(
            "Your certificate for %(course)s was revoked. Reason: %(reason)s"), sms_by_default=True),
    ):
        notification_kinds.add(kind)
