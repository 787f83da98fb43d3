"""Learner checks as data (decision 0011): a check is a short list of items a teacher asks each learner orally,
marking each right or wrong. The definition (`LearnerCheck.definition`) is read through `definition_of`, a
pydantic model, so a bad definition is refused when stored and when read. Learners are codes, never names.

`NUMERACY_G1_2_V1` is the default check for classes 1–2 (number recognition, counting, addition, subtraction),
stored by migration 0004 as "numeracy-g1-2" version 1. It is frozen: a change is a new version, never an edit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

if TYPE_CHECKING:
    from shikhon.practice.models import LearnerCheck

DEFAULT_CHECK_CODE = "numeracy-g1-2"
MAX_LEARNERS = 80
MAX_ITEMS = 40

Skill = Literal["recognition", "counting", "addition", "subtraction"]
SKILL_LABELS = {
    "recognition": _("Number recognition"),
    "counting": _("Counting"),
    "addition": _("Addition"),
    "subtraction": _("Subtraction"),
}

ItemCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=30, strip_whitespace=True)]


class CheckItem(BaseModel):
    """One thing the teacher asks: its code, the skill, what to ask (Bangla and English), the short label of its
    checkbox and the answer that counts as right."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: ItemCode
    skill: Skill
    prompt_bn: Text
    prompt_en: Text
    short_bn: Short
    short_en: Short
    answer: Short

    def prompt(self) -> str:
        return self.prompt_bn if (get_language() or "bn").startswith("bn") else self.prompt_en

    def short(self) -> str:
        return self.short_bn if (get_language() or "bn").startswith("bn") else self.short_en

    def skill_label(self) -> str:
        return str(SKILL_LABELS[self.skill])


class CheckDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    items: Annotated[list[CheckItem], Field(min_length=1, max_length=MAX_ITEMS)]

    @field_validator("items")
    @classmethod
    def _codes_once(cls, items: list[CheckItem]) -> list[CheckItem]:
        codes = [item.code for item in items]
        if len(codes) != len(set(codes)):
            raise ValueError("each item code is used once")
        return items

    @property
    def codes(self) -> list[str]:
        return [item.code for item in self.items]

    def item(self, code: str) -> CheckItem | None:
        return next((item for item in self.items if item.code == code), None)


def _item(code: str, skill: str, prompt_bn: str, prompt_en: str, short_bn: str, short_en: str,
          answer: str) -> dict[str, str]:
    return {"code": code, "skill": skill, "prompt_bn": prompt_bn, "prompt_en": prompt_en, "short_bn": short_bn,
            "short_en": short_en, "answer": answer}


# The default numeracy check for classes 1 and 2, version 1 (frozen; stored by migration 0004).
NUMERACY_G1_2_V1: dict[str, Any] = {
    "code": DEFAULT_CHECK_CODE,
    "version": 1,
    "title_bn": "গণিতের ছোট যাচাই (১ম–২য় শ্রেণি)",
    "title_en": "Short numeracy check (classes 1–2)",
    "grade_from": 1,
    "grade_to": 2,
    "definition": {"items": [
        _item("R1", "recognition", "শিক্ষার্থীকে ৭ সংখ্যাটি দেখান এবং জিজ্ঞেস করুন এটি কোন সংখ্যা।",
              "Show the learner the number 7 and ask what it is.", "৭ চেনা", "Knows 7", "7"),
        _item("R2", "recognition", "শিক্ষার্থীকে ১৫ সংখ্যাটি দেখান এবং জিজ্ঞেস করুন এটি কোন সংখ্যা।",
              "Show the learner the number 15 and ask what it is.", "১৫ চেনা", "Knows 15", "15"),
        _item("R3", "recognition", "শিক্ষার্থীকে ৪২ সংখ্যাটি দেখান এবং জিজ্ঞেস করুন এটি কোন সংখ্যা।",
              "Show the learner the number 42 and ask what it is.", "৪২ চেনা", "Knows 42", "42"),
        _item("C1", "counting", "টেবিলে ৬টি পাথর রাখুন এবং জিজ্ঞেস করুন কয়টি পাথর আছে।",
              "Put 6 stones on the table and ask how many there are.", "৬টি গোনা", "Counts 6", "6"),
        _item("C2", "counting", "শিক্ষার্থীকে ১১ থেকে ২০ পর্যন্ত জোরে জোরে গুনতে বলুন।",
              "Ask the learner to count aloud from 11 to 20.", "১১–২০ গোনা", "Counts 11–20", "11 … 20"),
        _item("C3", "counting", "জিজ্ঞেস করুন: ১৯-এর পরের সংখ্যা কোনটি?",
              "Ask: which number comes after 19?", "১৯-এর পরে", "After 19", "20"),
        _item("A1", "addition", "৩টি পাথর দেখান, তারপর আরও ২টি যোগ করুন। জিজ্ঞেস করুন এখন মোট কয়টি।",
              "Show 3 stones, then add 2 more. Ask how many there are now.", "৩ + ২", "3 + 2", "5"),
        _item("A2", "addition", "মুখে জিজ্ঞেস করুন: ৪ আর ৫ যোগ করলে কত হয়?",
              "Ask aloud: what is 4 and 5 added together?", "৪ + ৫", "4 + 5", "9"),
        _item("A3", "addition", "মুখে জিজ্ঞেস করুন: ১২ আর ৬ যোগ করলে কত হয়?",
              "Ask aloud: what is 12 and 6 added together?", "১২ + ৬", "12 + 6", "18"),
        _item("S1", "subtraction", "৫টি পাথর দেখান, তারপর ২টি সরিয়ে নিন। জিজ্ঞেস করুন কয়টি রইল।",
              "Show 5 stones, then take 2 away. Ask how many are left.", "৫ − ২", "5 − 2", "3"),
        _item("S2", "subtraction", "মুখে জিজ্ঞেস করুন: ৯ থেকে ৪ বাদ দিলে কত থাকে?",
              "Ask aloud: what is left when you take 4 from 9?", "৯ − ৪", "9 − 4", "5"),
        _item("S3", "subtraction", "মুখে জিজ্ঞেস করুন: ১৫ থেকে ৭ বাদ দিলে কত থাকে?",
              "Ask aloud: what is left when you take 7 from 15?", "১৫ − ৭", "15 − 7", "8"),
    ]},
}


def parse_definition(data: object) -> CheckDefinition:
    """The definition as stored (a dict); raises pydantic's ValidationError when it is not one."""
    return CheckDefinition.model_validate(data)


def definition_of(learner_check: LearnerCheck) -> CheckDefinition:
    """The check's items, validated."""
    return parse_definition(learner_check.definition)


def is_valid_definition(data: object) -> bool:
    try:
        parse_definition(data)
    except ValidationError:
        return False
    return True


# A learner's code: 1–12 Latin letters or digits with at least one digit and at most three letters (Bangla
# digits are read as digits first), e.g. "L01", "12", "2B07". A word ("RAHIM", "Rahim1") looks like a name: refused.
LEARNER_CODE = re.compile(r"(?=[A-Za-z0-9]{1,12}$)(?=.*[0-9])(?!(?:.*[A-Za-z]){4})[A-Za-z0-9]+", flags=re.ASCII)
