"""The library's search box and filters, and the model contents' class and subject (GET forms: they work without
JavaScript; Bangla digits are read as numbers; a wrong choice is said and left out, the rest still filters)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import to_western_digits
from shikhon.core.caching import cache_seconds
from shikhon.courses.grades import grades_label
from shikhon.library.models.contents import Kind
from shikhon.library.search import parse_query
from shikhon.library.selectors.search import SORTS, ContentFilters, subjects
from shikhon.places import selectors as places

GRADES = range(1, 11)
_NUMBER_FIELDS = ("grade", "subject", "district", "upazila", "page")
AREAS_SECONDS = 3600


def _language() -> str:
    return "en" if (translation.get_language() or "bn").startswith("en") else "bn"


_grade_label = lazy(lambda grade: grades_label(grade, grade), str)


def grade_choices(empty: Any) -> list[tuple[str, Any]]:
    """Read "৩য় শ্রেণি" / "Grade 3" in the language of the page (lazily)."""
    return [("", empty), *[(str(g), _grade_label(g)) for g in GRADES]]


def subject_choices() -> list[tuple[str, str]]:
    key = f"library:search:subjects:{_language()}"
    choices = cache.get(key)
    if choices is None:
        choices = [(str(s.pk), s.name) for s in subjects()]
        cache.set(key, choices, cache_seconds(AREAS_SECONDS))
    return choices


def district_choices() -> list[tuple[str, str]]:
    """Every district by name (read once an hour: ten small queries)."""
    key = f"library:search:districts:{_language()}"
    choices = cache.get(key)
    if choices is None:
        found = [(str(d.pk), d.name) for division in places.divisions() for d in places.districts_of(division)]
        choices = sorted(found, key=lambda pair: pair[1])
        cache.set(key, choices, cache_seconds(AREAS_SECONDS))
    return choices


def upazila_choices(district_id: int) -> list[tuple[str, str]]:
    key = f"library:search:upazilas:{district_id}:{_language()}"
    choices = cache.get(key)
    if choices is None:
        district = places.district_get(district_id)
        choices = ([] if district is None
                   else [(str(u.pk), u.name) for u in places.upazilas_with_school_counts(district)])
        cache.set(key, choices, cache_seconds(AREAS_SECONDS))
    return choices


def _western(data: Any) -> dict[str, Any]:
    """The query string with Bangla digits in the number fields read as Western ones."""
    values: dict[str, Any] = {}
    for name in data:
        value = data.get(name)
        values[name] = to_western_digits(value).strip() if name in _NUMBER_FIELDS and value else value
    return values


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, max_length=300,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=_("Words of a title or a lesson, in Bangla or English; part of a word works too."))
    grade = forms.ChoiceField(label=_("Class"), required=False, choices=grade_choices(_("All classes")))
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    district = forms.ChoiceField(label=_("District"), required=False)
    upazila = forms.ChoiceField(label=_("Upazila"), required=False)
    model = forms.BooleanField(label=_("Model contents only"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(_western(data) if data is not None else None, **kwargs)
        self.fields["subject"].choices = [("", _("All subjects")), *subject_choices()]  # type: ignore[attr-defined]
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", _("All districts")), *district_choices()]
        district = self.data.get("district") if self.is_bound else None
        upazilas = upazila_choices(int(district)) if district and str(district).isdigit() and len(district) < 12 \
            else []
        self.fields["upazila"].choices = [  # type: ignore[attr-defined]
            ("", _("All upazilas") if upazilas else _("Choose a district first")), *upazilas]

    def clean_q(self) -> str:
        return parse_query(self.cleaned_data.get("q")).text

    def filters(self) -> ContentFilters:
        """The valid fields as filters (a field with a wrong value filters nothing; its error is shown)."""
        self.is_valid()
        data = self.cleaned_data
        return ContentFilters(
            query=parse_query(data.get("q") or ""), grade=_int(data.get("grade")), subject_id=_int(data.get("subject")),
            kind=data.get("kind") or "", district_id=_int(data.get("district")), upazila_id=_int(data.get("upazila")),
            model_only=bool(data.get("model")), sort=data.get("sort") or "",
        )

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("grade", "subject", "kind", "district", "upazila", "model"))


class ModelShelfForm(forms.Form):
    grade = forms.ChoiceField(label=_("Class"), required=False, choices=grade_choices(_("All classes")))
    subject = forms.ChoiceField(label=_("Subject"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(_western(data) if data is not None else None, **kwargs)
        self.fields["subject"].choices = [("", _("All subjects")), *subject_choices()]  # type: ignore[attr-defined]

    def values(self) -> tuple[int | None, int | None]:
        self.is_valid()
        return _int(self.cleaned_data.get("grade")), _int(self.cleaned_data.get("subject"))
