from typing import Any

from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_delete, post_save


def _videos_of_visible_courses(user: Any) -> Any:
    """The videos of the activities of the courses she may open (a draft's video only for its authors)."""
    from shikhon.courses.models import Activity
    from shikhon.courses.selectors import courses_visible

    return Q(pk__in=Activity.objects.filter(module__course__in=courses_visible(user).values("pk"),
                                            video__isnull=False).values("video_id"))


def _sample_videos() -> Any:
    """Anybody may watch a published course's sample: the video of its first activity (as its page shows)."""
    from shikhon.courses.selectors import sample_videos_q

    return sample_videos_q()


class CoursesConfig(AppConfig):
    name = "shikhon.courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from shikhon.courses import outline
        from shikhon.media.permissions import register_public_video_scope, register_video_scope

        register_video_scope(_videos_of_visible_courses)
        register_public_video_scope(_sample_videos)
        # This app's vocabulary in the registries kept by lower apps (DESIGN.md 15).
        from shikhon.courses import audit_actions, notifications, sync

        audit_actions.register()
        notifications.register()
        sync.register()
        # The cached outline and questions of a course are forgotten when a piece of it changes.
        for model in outline.OUTLINE_MODELS:
            name = model.__name__
            post_save.connect(outline.forget_outline_of, sender=model, dispatch_uid=f"courses-outline-save-{name}")
            post_delete.connect(outline.forget_outline_of, sender=model, dispatch_uid=f"courses-outline-delete-{name}")
        for question_model in outline.QUESTION_MODELS:
            name = question_model.__name__
            post_save.connect(outline.forget_questions_of, sender=question_model,
                              dispatch_uid=f"courses-questions-save-{name}")
            post_delete.connect(outline.forget_questions_of, sender=question_model,
                                dispatch_uid=f"courses-questions-delete-{name}")
