from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "shikhon.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.people import audit_actions, notifications

        audit_actions.register()
        notifications.register()
        # Which destinations the site's navigation shows her (core.layout knows no roles).
        from shikhon.people import navigation

        navigation.register()
        # Her cached user and scope are forgotten when her user row or one of her roles changes.
        from django.db.models.signals import post_delete, post_save

        from shikhon.people import usercache

        for model, receiver in usercache.RECEIVERS:
            post_save.connect(receiver, sender=model, dispatch_uid=f"people-usercache-save-{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"people-usercache-delete-{model.__name__}")
