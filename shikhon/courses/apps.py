from typing import Any

from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_delete, post_save


def _forget_outline(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A module, activity or quiz of a course changed: forget the course's cached outline."""
    from shikhon.courses.models import Activity, Module, Quiz
    from shikhon.courses.selectors import outline_forget

    course_id: int | None = None
    if isinstance(instance, Module):
        course_id = instance.course_id
    elif isinstance(instance, (Activity, Quiz)):
        if type(instance).module.is_cached(instance):
            course_id = instance.module.course_id
        else:
            course_id = Module.objects.filter(pk=instance.module_id).values_list("course_id", flat=True).first()
    if course_id is not None:
        outline_forget(course_id)


def _forget_questions(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A quiz, question or choice changed: forget the quiz's cached questions."""
    from shikhon.courses.models import Choice, Question, Quiz
    from shikhon.courses.selectors import quiz_questions_forget

    quiz_id: int | None = None
    if isinstance(instance, Quiz):
        quiz_id = instance.pk
    elif isinstance(instance, Question):
        quiz_id = instance.quiz_id
    elif isinstance(instance, Choice):
        if Choice.question.is_cached(instance):
            quiz_id = instance.question.quiz_id
        else:
            quiz_id = Question.objects.filter(pk=instance.question_id).values_list("quiz_id", flat=True).first()
    if quiz_id is not None:
        quiz_questions_forget(quiz_id)


def _videos_of_visible_courses(user: Any) -> Any:
    """The videos of the activities of the courses she may open (a draft's video only for its authors)."""
    from shikhon.courses.models import Activity
    from shikhon.courses.selectors import courses_visible

    return Q(pk__in=Activity.objects.filter(module__course__in=courses_visible(user).values("pk"),
                                            video__isnull=False).values("video_id"))


class CoursesConfig(AppConfig):
    name = "shikhon.courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from shikhon.media.permissions import register_video_scope

        register_video_scope(_videos_of_visible_courses)
        for model_name in ("Module", "Activity", "Quiz"):
            model = self.get_model(model_name)
            post_save.connect(_forget_outline, sender=model, dispatch_uid=f"courses-outline-save-{model_name}")
            post_delete.connect(_forget_outline, sender=model, dispatch_uid=f"courses-outline-delete-{model_name}")
        for model_name in ("Quiz", "Question", "Choice"):
            model = self.get_model(model_name)
            post_save.connect(_forget_questions, sender=model, dispatch_uid=f"courses-questions-save-{model_name}")
            post_delete.connect(_forget_questions, sender=model,
                                dispatch_uid=f"courses-questions-delete-{model_name}")
