"""Forms of the authoring pages. Plain forms (not ModelForms): the services validate and save, so an
invalid post never changes an object."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number, to_western_digits
from shikhon.courses.authoring import MAX_CHOICES
from shikhon.courses.models import Course, Question, Subject

TEXTAREA = forms.Textarea(attrs={"rows": 4})
TRUE_FALSE_DEFAULTS = ("সত্য", "মিথ্যা")


class BanglaIntegerField(forms.IntegerField):
    """A whole number typed with Bangla or Western digits."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = to_western_digits(value).strip()
        return super().to_python(value)


class BanglaDecimalField(forms.Field):
    """A number typed with Bangla or Western digits, like ১২.৫ or 12,5 (at most `max_length` characters)."""

    def __init__(self, *, max_length: int = 20, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": str(max_length)})

    def to_python(self, value: Any) -> Decimal | None:
        text = "" if value in self.empty_values else to_western_digits(str(value)).strip().replace(",", ".")
        if not text:
            return None
        if len(text) > self.max_length:
            raise ValidationError(_("Type a number, for example 12 or ১২.৫."), code="not_a_number")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Type a number, for example 12 or ১২.৫."), code="not_a_number") from None
        if not number.is_finite() or abs(number) >= Decimal(10) ** 9:
            raise ValidationError(_("Type a number, for example 12 or ১২.৫."), code="not_a_number")
        return number.quantize(Decimal("0.001"))


def _number(label: Any, *, required: bool = True, min_value: int | None = 0, max_value: int | None = None,
            help_text: Any = "") -> BanglaIntegerField:
    field = BanglaIntegerField(label=label, required=required, min_value=min_value, max_value=max_value,
                               help_text=help_text, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    return field


def _slug_help() -> SafeString:
    """The example is a web address name, machine text: in <code>, so a Bangla page says it stays Latin."""
    return format_html("{} <code>anonde-gonit-shikhi</code>", gettext(
        "Leave it empty and it is made from the title. If you change it: small English letters, digits and "
        "hyphens, for example"))


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Web address name"), max_length=80, required=False,
                           help_text=lazy(_slug_help, SafeString)())
    summary = forms.CharField(label=_("Summary"), required=False, widget=TEXTAREA)
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    grade_from = _number(_("From grade"), min_value=1, max_value=12)
    grade_to = _number(_("To grade"), min_value=1, max_value=12)
    estimated_hours = _number(_("Hours of study"), min_value=1, max_value=500)
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Prerequisites"), required=False, queryset=Course.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published courses a teacher should finish before this one."))

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = Course.objects.filter(status=Course.Status.PUBLISHED).order_by("title")
        if course is not None:
            published = published.exclude(family=course.family)
        cast(forms.ModelMultipleChoiceField, self.fields["prerequisites"]).queryset = published

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("grade_from") and data.get("grade_to") and data["grade_to"] < data["grade_from"]:
            self.add_error("grade_to", _("The last grade cannot be lower than the first grade."))
        return data

    @classmethod
    def initial_for(cls, course: Course) -> dict[str, Any]:
        return {"title": course.title, "slug": course.slug, "summary": course.summary, "subject": course.subject,
                "grade_from": course.grade_from, "grade_to": course.grade_to,
                "estimated_hours": course.estimated_hours, "prerequisites": list(course.prerequisites.all())}


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Module title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=TEXTAREA)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity title"), max_length=200)
    summary = forms.CharField(label=_("What children learn"), required=False, widget=TEXTAREA)
    materials = forms.CharField(label=_("Materials"), required=False, widget=TEXTAREA,
                                help_text=_("One item per line."))
    duration_minutes = _number(_("Time in class (minutes)"), min_value=1, max_value=240)
    steps = forms.CharField(label=_("Steps"), required=False, widget=TEXTAREA, help_text=_("One step per line."))
    learner_actions = forms.CharField(label=_("What learners do"), required=False, widget=TEXTAREA)
    try_prompt = forms.CharField(label=_("Try this in your class"), required=False, widget=TEXTAREA)


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, label: Any = None, accept: str = "", help_text: Any = "",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label
        if help_text:
            self.fields["file"].help_text = help_text
        if accept:
            self.fields["file"].widget.attrs["accept"] = accept


class QuizSettingsForm(forms.Form):
    pass_percent = _number(_("Pass mark (%)"), min_value=1, max_value=100)
    questions_per_attempt = _number(_("Questions per attempt"), required=False, min_value=1, max_value=200,
                                    help_text=_("Empty: every question, each time."))
    max_attempts = _number(_("Attempt limit"), required=False, min_value=1, max_value=100,
                           help_text=_("Empty: no limit."))
    retake_wait_minutes = _number(_("Wait before a retake (minutes)"), min_value=0, max_value=100000)
    time_limit_minutes = _number(_("Time limit (minutes)"), required=False, min_value=1, max_value=600,
                                 help_text=_("Empty: no time limit."))


class QuestionForm(forms.Form):
    """A question and up to five answers (text + correct box); empty rows are left out. Works without
    JavaScript: the author fills what her kind of question needs."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices,
                             widget=forms.RadioSelect)
    text = forms.CharField(label=_("Question"), widget=TEXTAREA)
    image = forms.FileField(label=_("Picture (optional)"), required=False,
                            help_text=_("PNG, JPEG or WebP, at most 2 MB."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))
    numeric_answer = BanglaDecimalField(label=_("Correct number"), required=False,
                                        help_text=_("Only for a number answer, for example ১২.৫."))
    numeric_tolerance = BanglaDecimalField(label=_("Allowed difference"), required=False,
                                           help_text=_("Only for a number answer: 0 means exactly this number."))
    feedback = forms.CharField(label=_("Explanation shown after the answer"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Answer %(n)s") % {"n": format_number(i)}, max_length=300, required=False)
            self.fields[f"correct_{i}"] = forms.BooleanField(label=_("Correct"), required=False)

    def choice_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"choice_{i}"], self[f"correct_{i}"]) for i in range(1, MAX_CHOICES + 1)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("kind", "text", "image")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows = [(data.get(f"choice_{i}") or "", bool(data.get(f"correct_{i}"))) for i in range(1, MAX_CHOICES + 1)]
        if data.get("kind") == Question.Kind.TRUE_FALSE and not any(text.strip() for text, _ok in rows):
            # Empty answers on a true-or-false question: "সত্য" (true) and "মিথ্যা" (false), as courses are Bangla.
            rows = [(TRUE_FALSE_DEFAULTS[0], rows[0][1]), (TRUE_FALSE_DEFAULTS[1], rows[1][1])]
        data["choices"] = rows
        if data.get("kind") == Question.Kind.NUMERIC and data.get("numeric_answer") is None \
                and "numeric_answer" not in self.errors:
            self.add_error("numeric_answer", _("Give the correct number."))
        return data

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": question.kind, "text": question.text, "feedback": question.feedback,
                                   "numeric_answer": question.numeric_answer.normalize()
                                   if question.numeric_answer is not None else "",
                                   "numeric_tolerance": question.numeric_tolerance.normalize()
                                   if question.numeric_tolerance else "",
                                   "image": question.image or None}
        for i, choice in enumerate(question.choices.all()[:MAX_CHOICES], start=1):
            initial[f"choice_{i}"] = choice.text
            initial[f"correct_{i}"] = choice.is_correct
        return initial


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should the author change?"), widget=TEXTAREA, max_length=2000)
