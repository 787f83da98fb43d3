"""The form of a content (new and edit): one page that works without JavaScript. The chapter list depends on the
class and subject, so the page offers a "Show the chapters" button that draws the form again with the chapters of
the class and subject chosen (nothing is saved, nothing is refused yet); the service checks again that the chapter
or topic belongs to that subject and class. Digits may be typed or chosen in Bangla."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import to_western_digits
from shikhon.core.fields import UserMultilineTextFormField, UserTextFormField
from shikhon.library.models import Kind, Language
from shikhon.library.selectors import curriculum
from shikhon.library.services.contents import BODY_MAX, SUMMARY_MAX, TITLE_MAX

REFRESH = "show_topics"  # the name of the button that draws the form again with the chapters of a class/subject


def _int_or_none(value: Any) -> int | None:
    try:
        return int(to_western_digits(str(value)).strip())
    except (TypeError, ValueError):
        return None


class _DigitsChoiceField(forms.TypedChoiceField):
    """A choice sent as a number (a phone or the API may send Bangla digits)."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(to_western_digits(value).strip() if isinstance(value, str) else value)


class ContentForm(forms.Form):
    title = UserTextFormField(label=_("Title"), max_length=TITLE_MAX, error_messages={
        "required": _("Give the content a title: what teachers will look for, e.g. “Addition with sticks”."),
        "max_length": _("The title can be at most %(limit_value)s characters long; it has %(show_value)s. Please "
                        "shorten it.")})
    summary = UserMultilineTextFormField(label=_("Summary (optional)"), required=False, max_length=SUMMARY_MAX,
                                         widget=forms.Textarea(attrs={"rows": 3}),
                                         help_text=_("Two or three sentences: what learners do and learn."),
                                         error_messages={"max_length": _(
                                             "The summary can be at most %(limit_value)s characters long; it has "
                                             "%(show_value)s. Please shorten it.")})
    grade = _DigitsChoiceField(label=_("Class"), coerce=int, error_messages={
        "required": _("Choose the class."), "invalid_choice": _("Choose a class from the list.")})
    subject = _DigitsChoiceField(label=_("Subject"), coerce=int, error_messages={
        "required": _("Choose the subject."), "invalid_choice": _("Choose the subject from the list.")})
    topic = _DigitsChoiceField(label=_("Chapter or topic"), coerce=int, required=False, empty_value=None,
                               help_text=_("After choosing the class and subject, tap “Show the chapters”."),
                               error_messages={"invalid_choice": _(
                                   "Choose a chapter or topic of this subject and class from the list, or tap “Show "
                                   "the chapters” after changing the class or subject.")})
    kind = forms.ChoiceField(label=_("Kind of content"), choices=[("", "---------"), *Kind.choices],
                             error_messages={"required": _("Choose what kind of content it is."),
                                             "invalid_choice": _("Choose what kind of content it is from the list.")})
    language = forms.ChoiceField(label=_("Written in"), choices=Language.choices, initial=Language.BANGLA,
                                 widget=forms.RadioSelect, error_messages={
                                     "required": _("Choose the language it is written in."),
                                     "invalid_choice": _("Choose the language it is written in.")})
    body = UserMultilineTextFormField(
        label=_("The lesson"), required=False, max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Write the steps of the lesson. A line starting with ## is a heading, - starts a list, "
                    "**word** is bold. Pictures, slides and videos are added as files after saving."),
        error_messages={"max_length": _("The text can be at most %(limit_value)s characters long; it has "
                                        "%(show_value)s. Shorten it, or attach the long part as a file.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        grade = _int_or_none(source.get("grade"))
        subject = _int_or_none(source.get("subject"))
        if grade not in curriculum.GRADES:
            grade = None
        self.fields["grade"].choices = curriculum.grade_choices()  # type: ignore[attr-defined]
        self.fields["subject"].choices = curriculum.subject_choices(grade)  # type: ignore[attr-defined]
        if subject is not None and curriculum.subject_get(subject) is None:
            subject = None
        self.fields["topic"].choices = curriculum.topic_choices(subject, grade)  # type: ignore[attr-defined]
        self.chosen_grade, self.chosen_subject = grade, subject
        self.chapters_shown = bool(grade and subject)

    def subject_object(self) -> Any:
        return curriculum.subject_get(self.cleaned_data.get("subject"))

    def topic_object(self) -> Any:
        return curriculum.topic_get(self.cleaned_data.get("topic")) if self.cleaned_data.get("topic") else None

    def service_fields(self) -> dict[str, Any]:
        """The cleaned fields as `content_create` / `content_update` take them."""
        data = self.cleaned_data
        return {"title": data["title"], "summary": data.get("summary") or "", "body": data.get("body") or "",
                "grade": data["grade"], "subject": self.subject_object(), "topic": self.topic_object(),
                "kind": data["kind"], "language": data["language"]}


def initial_from(version: Any) -> dict[str, Any]:
    """The form's values from a version (editing)."""
    return {"title": version.title, "summary": version.summary, "body": version.body, "grade": version.grade,
            "subject": version.subject_id, "topic": version.topic_id or "", "kind": version.kind,
            "language": version.language}
