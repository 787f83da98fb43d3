from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "shikhon.training"
    label = "training"
    verbose_name = "Face-to-face training"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.training import audit_actions, notifications, periodic_jobs

        audit_actions.register()
        notifications.register()
        periodic_jobs.register()
        # A course certificate names the programmes it makes her eligible for; certificates sits below this
        # app, so it asks through a reader registered here (decision 0010).
        from shikhon.certificates.eligibility import register_programmes_reader
        from shikhon.training.selectors import programme_titles_for_family

        register_programmes_reader(programme_titles_for_family)
