"""How a course's grades read: "৩য় শ্রেণি" / "Grade 3" for one grade, "১ম–২য় শ্রেণি" / "Grades 1–2" for a range.
`models.Course.grades_label` is the one way pages, certificates and the API show them."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from shikhon.core.bangla import to_bangla_digits

# Bangla ordinal suffixes of the school grades: ১ম ২য় ৩য় ৪র্থ ৫ম ৬ষ্ঠ ৭ম ৮ম ৯ম ১০ম ১১শ ১২শ.
_BN_SUFFIX = {1: "ম", 2: "য়", 3: "য়", 4: "র্থ", 5: "ম", 6: "ষ্ঠ", 7: "ম", 8: "ম", 9: "ম", 10: "ম"}


def grade_ordinal(grade: int, language: str | None = None) -> str:
    """"৩য়" in Bangla, "3" in English (the English sentence says "Grade 3")."""
    language = language or translation.get_language() or "bn"
    if not language.startswith("bn"):
        return str(grade)
    suffix = _BN_SUFFIX.get(grade, "শ" if 11 <= grade <= 18 else "তম")
    return to_bangla_digits(grade) + suffix


def grades_label(grade_from: int, grade_to: int) -> str:
    """One grade or a range, as a reader of the current language says it."""
    if grade_from == grade_to:
        return _("Grade %(grade)s") % {"grade": grade_ordinal(grade_from)}
    return _("Grades %(first)s–%(last)s") % {"first": grade_ordinal(grade_from), "last": grade_ordinal(grade_to)}
