"""The mentors' review rubric as data (decision 0012): the `criteria` JSON of the `Rubric` row in force, validated by
pydantic. Each criterion has a key, a Bangla and an English name, and exactly four levels (scores 1–4, lowest first),
each with a descriptor in both languages. Scores are `{criterion key: 1–4}`; a review names the rubric version it
used, so old reviews keep their meaning when a new version is seeded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone, translation
from pydantic import BaseModel, ConfigDict, Field, StrictStr, TypeAdapter, model_validator

from shikhon.library.models import Rubric

LEVELS = 4
SCORES = tuple(range(1, LEVELS + 1))
KEY = r"^[a-z][a-z0-9_]{0,39}$"


def _bangla() -> bool:
    return (translation.get_language() or "bn").startswith("bn")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Level(_Strict):
    bn: StrictStr = Field(min_length=1, max_length=400)
    en: StrictStr = Field(min_length=1, max_length=400)

    @property
    def text(self) -> str:
        """The descriptor in the page's language."""
        return self.bn if _bangla() else self.en


class Criterion(_Strict):
    key: str = Field(pattern=KEY)
    name_bn: StrictStr = Field(min_length=1, max_length=120)
    name_en: StrictStr = Field(min_length=1, max_length=120)
    levels: list[Level] = Field(min_length=LEVELS, max_length=LEVELS)

    @property
    def name(self) -> str:
        return self.name_bn if _bangla() else self.name_en

    def level(self, score: int) -> Level:
        return self.levels[score - 1]


class Definition(_Strict):
    criteria: list[Criterion] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _unique_keys(self) -> Definition:
        keys = [criterion.key for criterion in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("criterion keys must be unique")
        return self

    @property
    def keys(self) -> list[str]:
        return [criterion.key for criterion in self.criteria]


_ADAPTER = TypeAdapter(Definition)
_PARSED: dict[tuple[int, int], Definition] = {}


class RubricError(ValueError):
    """Scores that do not fit the rubric: `code` says which check failed, `key` names the criterion."""

    def __init__(self, code: str, key: str = "") -> None:
        super().__init__(f"{code}: {key}" if key else code)
        self.code = code
        self.key = key


def parse_criteria(data: Any) -> Definition:
    """The criteria JSON (a list) as a validated definition; pydantic's ValidationError when it does not fit."""
    return _ADAPTER.validate_python({"criteria": data})


def definition_of(rubric: Rubric) -> Definition:
    """The rubric row's criteria, parsed once per row and version (the rows never change once seeded)."""
    cache_key = (rubric.pk, rubric.version)
    if cache_key not in _PARSED:
        _PARSED[cache_key] = parse_criteria(rubric.criteria)
    return _PARSED[cache_key]


def current_rubric() -> Rubric:
    """The newest rubric in force today (else the oldest seeded one, so a review is always possible)."""
    today = timezone.localdate()
    rubric = Rubric.objects.filter(in_force_from__lte=today).order_by("-version").first()
    if rubric is None:
        rubric = Rubric.objects.order_by("version").first()
    if rubric is None:  # pragma: no cover - migration 0003 seeds version 1
        raise Rubric.DoesNotExist("no review rubric is seeded")
    return rubric


def validate_scores(definition: Definition, scores: Mapping[str, Any]) -> dict[str, int]:
    """`{key: 1–4}` for every criterion and nothing else; RubricError(code, key) otherwise."""
    if not isinstance(scores, Mapping):
        raise RubricError("not_a_mapping")
    unknown = sorted(set(map(str, scores)) - set(definition.keys))
    if unknown:
        raise RubricError("unknown", unknown[0])
    clean: dict[str, int] = {}
    for key in definition.keys:
        value = scores.get(key)
        if value is None or value == "":
            raise RubricError("missing", key)
        if isinstance(value, bool):
            raise RubricError("out_of_range", key)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise RubricError("out_of_range", key) from None
        if str(number) != str(value).strip() and number != value:
            raise RubricError("out_of_range", key)
        if number not in SCORES:
            raise RubricError("out_of_range", key)
        clean[key] = number
    return clean


def average(scores: Mapping[str, int]) -> Decimal:
    """The mean of the scores, to two decimals (half up)."""
    if not scores:
        return Decimal("0.00")
    mean = Decimal(sum(scores.values())) / Decimal(len(scores))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoreLine:
    """One criterion of a review as shown: its name, the score and the descriptor of that level."""

    key: str
    name: str
    score: int
    descriptor: str


def score_lines(rubric: Rubric, scores: Mapping[str, Any]) -> list[ScoreLine]:
    """A review's scores in the rubric's order, in the active language (criteria the rubric lacks are skipped)."""
    lines = []
    for criterion in definition_of(rubric).criteria:
        value = scores.get(criterion.key)
        if isinstance(value, int) and not isinstance(value, bool) and value in SCORES:
            lines.append(ScoreLine(criterion.key, criterion.name, value, criterion.level(value).text))
    return lines


__all__ = ["LEVELS", "SCORES", "Criterion", "Definition", "Level", "RubricError", "ScoreLine", "average",
           "current_rubric", "definition_of", "parse_criteria", "score_lines", "validate_scores"]
