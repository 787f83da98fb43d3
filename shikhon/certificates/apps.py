from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "shikhon.certificates"
    label = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.certificates import audit_actions, notifications, periodic_jobs

        audit_actions.register()
        notifications.register()
        periodic_jobs.register()
        # A finished course asks for a certificate: courses announces the completion (it sits below
        # this app and cannot call it), and the receiver only enqueues the issuing task. Decision 0005.
        from shikhon.certificates import receivers  # noqa: F401
