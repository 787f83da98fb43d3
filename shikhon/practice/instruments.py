"""Lesson-observation instruments as data (decision 0011): each instrument's `definition` (a JSON object stored on
`practice.Instrument`) is validated here by pydantic, and so are the ratings and time-on-task snapshots an observer
gives against it.

A definition has sections; a section holds items directly (the primary-maths instrument) or elements made of
items (the Teach-shaped one: an element is scored 1–5 from its items, see `element_score`). Every item has its
levels, lowest first, each with a label and a descriptor in Bangla and English. Ratings are `{item code: level
value}`; "the change since last time" compares the levels' positions in the item's list.

The version-1 definitions below are what migration 0003 stored: never change a published version's wording or
levels; a new wording is a new version (a new `Instrument` row), so old observations keep their meaning."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, model_validator

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "PRIMARY_MATHS",
    "TEACH_SHAPED",
    "Definition",
    "InstrumentError",
    "element_score",
    "element_scores",
    "parse_definition",
    "validate_ratings",
    "validate_snapshots",
]

CODE = r"^[a-z0-9][a-z0-9_-]{0,39}$"


class InstrumentError(ValueError):
    """A definition, a rating or a snapshot that does not fit; `code` says which check failed (the service turns
    it into a sentence), `item` names the item when there is one."""

    def __init__(self, code: str, item: str = "") -> None:
        super().__init__(f"{code}: {item}" if item else code)
        self.code = code
        self.item = item


def _bangla() -> bool:
    return (translation.get_language() or "bn").startswith("bn")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    def _in_language(self, name: str) -> str:
        """The Bangla or English text `name` in the page's language (what templates show)."""
        return str(getattr(self, f"{name}_bn" if _bangla() else f"{name}_en"))


class Level(_Strict):
    value: str = Field(pattern=CODE)
    label_bn: StrictStr = Field(min_length=1, max_length=60)
    label_en: StrictStr = Field(min_length=1, max_length=60)
    descriptor_bn: StrictStr = Field(default="", max_length=400)
    descriptor_en: StrictStr = Field(default="", max_length=400)

    @property
    def label(self) -> str:
        return self._in_language("label")

    @property
    def descriptor(self) -> str:
        return self._in_language("descriptor")


class Item(_Strict):
    code: str = Field(pattern=CODE)
    text_bn: StrictStr = Field(min_length=1, max_length=300)
    text_en: StrictStr = Field(min_length=1, max_length=300)
    levels: list[Level] = Field(min_length=2, max_length=6)

    @property
    def text(self) -> str:
        return self._in_language("text")

    @model_validator(mode="after")
    def _levels_distinct(self) -> Item:
        values = [level.value for level in self.levels]
        if len(set(values)) != len(values):
            raise ValueError(f"item {self.code}: two levels share a value")
        return self

    def position(self, value: str) -> int | None:
        """The level's position (0 = lowest), or None for a value this item does not have."""
        for index, level in enumerate(self.levels):
            if level.value == value:
                return index
        return None

    def level(self, value: str) -> Level | None:
        position = self.position(value)
        return None if position is None else self.levels[position]


class Element(_Strict):
    code: str = Field(pattern=CODE)
    title_bn: StrictStr = Field(min_length=1, max_length=120)
    title_en: StrictStr = Field(min_length=1, max_length=120)
    items: list[Item] = Field(min_length=1, max_length=10)

    @property
    def title(self) -> str:
        return self._in_language("title")


class Section(_Strict):
    code: str = Field(pattern=CODE)
    title_bn: StrictStr = Field(min_length=1, max_length=120)
    title_en: StrictStr = Field(min_length=1, max_length=120)
    items: list[Item] = Field(default_factory=list, max_length=30)
    elements: list[Element] = Field(default_factory=list, max_length=10)

    @property
    def title(self) -> str:
        return self._in_language("title")

    @model_validator(mode="after")
    def _items_or_elements(self) -> Section:
        if bool(self.items) == bool(self.elements):
            raise ValueError(f"section {self.code}: give either items or elements")
        return self

    def all_items(self) -> list[Item]:
        if self.items:
            return list(self.items)
        return [item for element in self.elements for item in element.items]


class Snapshots(_Strict):
    """Time-on-task snapshots: `count` moments in the lesson, each the share of learners on task."""

    count: int = Field(ge=1, le=5)
    prompt_bn: StrictStr = Field(min_length=1, max_length=300)
    prompt_en: StrictStr = Field(min_length=1, max_length=300)
    levels: list[Level] = Field(min_length=2, max_length=5)

    @property
    def prompt(self) -> str:
        return self._in_language("prompt")


class Definition(_Strict):
    intro_bn: StrictStr = Field(default="", max_length=600)
    intro_en: StrictStr = Field(default="", max_length=600)
    scoring: str = Field(default="levels", pattern=r"^(levels|teach_elements)$")
    sections: list[Section] = Field(min_length=1, max_length=10)
    snapshots: Snapshots | None = None

    @property
    def intro(self) -> str:
        return self._in_language("intro")

    @model_validator(mode="after")
    def _codes_unique(self) -> Definition:
        codes = [item.code for item in self.items()]
        if len(set(codes)) != len(codes):
            raise ValueError("two items share a code")
        if self.scoring == "teach_elements":
            for section in self.sections:
                if not section.elements:
                    raise ValueError(f"section {section.code}: element scoring needs elements")
                for element in section.elements:
                    for item in element.items:
                        if [level.value for level in item.levels] != list(TEACH_LEVELS):
                            raise ValueError(f"item {item.code}: element scoring needs low, medium, high")
        return self

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.all_items()]

    def item(self, code: str) -> Item | None:
        for item in self.items():
            if item.code == code:
                return item
        return None

    def elements(self) -> list[Element]:
        return [element for section in self.sections for element in section.elements]


def parse_definition(data: Any) -> Definition:
    """The definition as a checked object; `InstrumentError("definition")` when it does not fit the schema."""
    if isinstance(data, Definition):
        return data
    try:
        return Definition.model_validate(data)
    except ValidationError as exc:
        raise InstrumentError("definition") from exc


def validate_ratings(definition: Definition, ratings: Any, *, require_all: bool = False) -> dict[str, str]:
    """Ratings checked against the definition: a dict of item code → one of that item's level values. Unknown
    items, unknown levels and non-text values are refused; items may be left unrated unless `require_all`."""
    if not isinstance(ratings, dict):
        raise InstrumentError("ratings_shape")
    clean: dict[str, str] = {}
    for code, value in ratings.items():
        if not isinstance(code, str) or not isinstance(value, str):
            raise InstrumentError("ratings_shape")
        item = definition.item(code)
        if item is None:
            raise InstrumentError("unknown_item", code)
        if item.position(value) is None:
            raise InstrumentError("unknown_level", code)
        clean[code] = value
    if require_all:
        for item in definition.items():
            if item.code not in clean:
                raise InstrumentError("missing_item", item.code)
    return clean


def validate_snapshots(definition: Definition, snapshots: Any) -> list[str]:
    """Time-on-task snapshots: at most the definition's count, each one of its snapshot levels (blank moments
    are dropped). An instrument without snapshots takes none."""
    if not isinstance(snapshots, list):
        raise InstrumentError("snapshots_shape")
    values = [value for value in snapshots if value not in ("", None)]
    if not values:
        return []
    if definition.snapshots is None:
        raise InstrumentError("snapshots_not_used")
    if len(values) > definition.snapshots.count:
        raise InstrumentError("snapshots_too_many")
    allowed = {level.value for level in definition.snapshots.levels}
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            raise InstrumentError("snapshots_level")
    return values


# --- Teach-shaped element scores ------------------------------------------------------------------------------

TEACH_LEVELS = ("low", "medium", "high")
_POINTS = {"low": 0, "medium": 1, "high": 2}


def element_score(levels: list[str]) -> int | None:
    """An element's score from 1 to 5, from its behaviours rated low, medium or high.

    Each behaviour counts 0 (low), 1 (medium) or 2 (high) points; the element's share of the points it could
    have had, `points / (2 × behaviours)`, is stretched over the scale 1–5 and rounded half up:

        score = round_half_up(1 + 4 × points / (2 × behaviours))

    so all low → 1, all medium → 3, all high → 5, and each step of one behaviour moves the score by the same
    amount (e.g. three behaviours low, medium, high → 3; low, low, medium → 1.67 → 2; medium, high, high → 4.33
    → 4). An element with a behaviour not rated (or rated with another value) has no score: None, never a guess.
    """
    if not levels or any(level not in _POINTS for level in levels):
        return None
    points = sum(_POINTS[level] for level in levels)
    exact = Decimal(1) + Decimal(4 * points) / Decimal(2 * len(levels))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def element_scores(definition: Definition, ratings: dict[str, str]) -> dict[str, int | None]:
    """Every element's score (element code → 1–5 or None when a behaviour is unrated)."""
    return {element.code: element_score([ratings.get(item.code, "") for item in element.items])
            for element in definition.elements()}


# --- The default instruments (version 1) ----------------------------------------------------------------------


def _levels4(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Four levels (1 = not yet … 4 = strong), with the item's own descriptors (Bangla, English) lowest first."""
    labels = [("1", "এখনো নয়", "Not yet"), ("2", "শুরু হয়েছে", "Beginning"), ("3", "ভালো", "Good"),
              ("4", "খুব ভালো", "Strong")]
    return [{"value": value, "label_bn": label_bn, "label_en": label_en, "descriptor_bn": bn, "descriptor_en": en}
            for (value, label_bn, label_en), (bn, en) in zip(labels, pairs, strict=True)]


def _lmh(low: tuple[str, str], medium: tuple[str, str], high: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"value": "low", "label_bn": "কম", "label_en": "Low", "descriptor_bn": low[0], "descriptor_en": low[1]},
        {"value": "medium", "label_bn": "মাঝারি", "label_en": "Medium", "descriptor_bn": medium[0],
         "descriptor_en": medium[1]},
        {"value": "high", "label_bn": "বেশি", "label_en": "High", "descriptor_bn": high[0], "descriptor_en": high[1]},
    ]


def _item(code: str, text_bn: str, text_en: str, levels: list[dict[str, str]]) -> dict[str, Any]:
    return {"code": code, "text_bn": text_bn, "text_en": text_en, "levels": levels}


PRIMARY_MATHS: dict[str, Any] = {
    "code": "primary-maths",
    "version": 1,
    "title_bn": "প্রাথমিক গণিত পাঠ পর্যবেক্ষণ",
    "title_en": "Primary maths lesson observation",
    "attribution": "",
    "is_default": True,
    "definition": {
        "intro_bn": "প্রথমে শিক্ষকের ভালো দিকগুলো লিখুন। তারপর যা দেখেছেন সেই অনুযায়ী প্রতিটি বিষয়ের একটি স্তর বাছুন।",
        "intro_en": "Write the teacher's strengths first. Then choose, for each item, the level that matches what "
                    "you saw.",
        "scoring": "levels",
        "sections": [
            {
                "code": "learners",
                "title_bn": "শিক্ষার্থীরা কী করছে",
                "title_en": "What learners do",
                "items": [
                    _item("materials", "শিক্ষার্থীরা নিজের হাতে উপকরণ ব্যবহার করে",
                          "Learners handle the materials themselves", _levels4([
                              ("শুধু শিক্ষক উপকরণ দেখান বা উপকরণ নেই।",
                               "Only the teacher shows materials, or there are none."),
                              ("কয়েকজন শিক্ষার্থী অল্প সময়ের জন্য উপকরণ ধরে।",
                               "A few learners touch the materials for a short time."),
                              ("বেশিরভাগ শিক্ষার্থী উপকরণ দিয়ে কাজ করে।",
                               "Most learners work with the materials."),
                              ("প্রত্যেক শিক্ষার্থী উপকরণ দিয়ে গুনে, সাজিয়ে বা মিলিয়ে নিজে বোঝে।",
                               "Every learner counts, arranges or matches with materials to work things out."),
                          ])),
                    _item("pairs_groups", "শিক্ষার্থীরা জোড়ায় বা দলে কাজ করে",
                          "Learners work in pairs or groups", _levels4([
                              ("সবাই একা বসে শোনে; কোনো জোড়া বা দলের কাজ নেই।",
                               "Everyone sits and listens alone; no pair or group work."),
                              ("জোড়া বা দল আছে, কিন্তু একজনই সব করে।",
                               "Pairs or groups are formed, but one learner does everything."),
                              ("বেশিরভাগ জোড়া বা দল একসাথে কাজ করে ও কথা বলে।",
                               "Most pairs or groups work and talk together."),
                              ("সব দলে প্রত্যেকে ভূমিকা পায় এবং একে অপরকে ব্যাখ্যা করে।",
                               "In every group each learner has a part and they explain to each other."),
                          ])),
                    _item("every_turn", "প্রত্যেক শিক্ষার্থী সুযোগ পায়",
                          "Every learner gets a turn", _levels4([
                              ("শুধু সামনের বা কয়েকজন শিক্ষার্থী উত্তর দেয়।",
                               "Only the front rows or a few learners answer."),
                              ("শিক্ষক কখনো কখনো অন্যদেরও ডাকেন।",
                               "The teacher sometimes calls on others."),
                              ("বেশিরভাগ শিক্ষার্থী অন্তত একবার বলার বা করার সুযোগ পায়।",
                               "Most learners get at least one turn to say or do something."),
                              ("প্রত্যেকে সুযোগ পায়, চুপচাপ ও পিছনের শিক্ষার্থীরাও।",
                               "Everyone gets a turn, including quiet learners and those at the back."),
                          ])),
                    _item("maths_talk", "শিক্ষার্থীরা নিজের ভাষায় কীভাবে ভেবেছে বলে",
                          "Learners say in their own words how they worked it out", _levels4([
                              ("শিক্ষার্থীরা শুধু উত্তর বলে বা একসাথে পুনরাবৃত্তি করে।",
                               "Learners only give answers or repeat in chorus."),
                              ("এক-দুজন বলে কীভাবে পেল।", "One or two say how they got an answer."),
                              ("অনেকে বলে কীভাবে ভেবেছে, শিক্ষক শোনেন।",
                               "Many explain how they thought and the teacher listens."),
                              ("শিক্ষার্থীরা বিভিন্ন উপায় তুলনা করে ও একে অপরের উপায় নিয়ে কথা বলে।",
                               "Learners compare different ways and talk about each other's methods."),
                          ])),
                ],
            },
            {
                "code": "teacher",
                "title_bn": "শিক্ষক কী করছেন",
                "title_en": "What the teacher does",
                "items": [
                    _item("checks_understanding", "শিক্ষক বোঝা হয়েছে কিনা যাচাই করেন",
                          "The teacher checks understanding", _levels4([
                              ("শিক্ষক শুধু জিজ্ঞেস করেন ‘বুঝেছ?’ বা যাচাই করেন না।",
                               "The teacher only asks 'understood?' or does not check."),
                              ("কয়েকজনকে প্রশ্ন করেন বা কয়েকটি খাতা দেখেন।",
                               "She asks a few learners or looks at a few slates or copies."),
                              ("ঘুরে ঘুরে বেশিরভাগের কাজ দেখেন ও প্রশ্ন করেন।",
                               "She walks round, looks at most learners' work and asks questions."),
                              ("যা দেখেন সেই অনুযায়ী বুঝিয়ে দেন বা কাজ বদলান।",
                               "She explains again or changes the task from what she sees."),
                          ])),
                    _item("activity_steps", "কার্যক্রমের ধাপগুলো অনুসরণ করা হয়",
                          "The activity's steps are followed", _levels4([
                              ("কার্যক্রমের ধাপ অনুসরণ করা হয়নি।", "The activity's steps were not followed."),
                              ("কিছু ধাপ করা হয়েছে, গুরুত্বপূর্ণ ধাপ বাদ গেছে।",
                               "Some steps were done; important ones were left out."),
                              ("প্রায় সব ধাপ ক্রম অনুযায়ী করা হয়েছে।",
                               "Nearly all steps were done in order."),
                              ("সব ধাপ করা হয়েছে এবং শ্রেণির প্রয়োজনে বুদ্ধিমানের মতো মানিয়ে নেওয়া হয়েছে।",
                               "All steps were done, sensibly adapted to the class."),
                          ])),
                    _item("encourages", "শিক্ষক উৎসাহ দেন এবং ভুলকে শেখার সুযোগ হিসেবে নেন",
                          "The teacher encourages and treats mistakes as a chance to learn", _levels4([
                              ("ভুল করলে শিক্ষার্থীরা বকা খায় বা হাসির পাত্র হয়।",
                               "Learners are scolded or laughed at for mistakes."),
                              ("শিক্ষক সঠিক উত্তর বলে দেন, ভুল নিয়ে কথা হয় না।",
                               "The teacher gives the right answer; mistakes are not discussed."),
                              ("শিক্ষক প্রশংসা করেন এবং ভুল শুধরাতে সাহায্য করেন।",
                               "The teacher praises effort and helps learners correct mistakes."),
                              ("ভুল নিয়ে সবাই মিলে ভাবে; শিক্ষার্থীরা চেষ্টা করতে ভয় পায় না।",
                               "Mistakes are thought through together; learners are not afraid to try."),
                          ])),
                ],
            },
        ],
    },
}


_TEACH_ELEMENTS: list[dict[str, Any]] = [
    {
        "code": "culture",
        "title_bn": "শ্রেণির পরিবেশ",
        "title_en": "Classroom culture",
        "elements": [
            {"code": "welcoming", "title_bn": "সহায়ক, নিরাপদ পরিবেশ", "title_en": "A welcoming, safe room",
             "items": [
                 _item("respect", "শিক্ষক প্রত্যেক শিক্ষার্থীর সাথে সম্মান দেখিয়ে আচরণ করেন",
                       "The teacher treats every learner with respect", _lmh(
                           ("অপমান, চিৎকার বা ভয় দেখানো দেখা যায়।", "Insults, shouting or threats are seen."),
                           ("সাধারণত সম্মানজনক, তবে কাউকে কাউকে উপেক্ষা করা হয়।",
                            "Mostly respectful, but some learners are ignored."),
                           ("সবার সাথে নাম ধরে, নম্রভাবে, সমানভাবে কথা বলেন।",
                            "Speaks to everyone kindly, by name and equally."))),
                 _item("warm_words", "শিক্ষক উষ্ণ ও উৎসাহের ভাষা ব্যবহার করেন",
                       "The teacher uses warm, encouraging words", _lmh(
                           ("উৎসাহের কথা প্রায় নেই।", "Hardly any encouraging words."),
                           ("মাঝে মাঝে ‘ভালো’ বা ‘শাবাশ’ বলেন।", "Now and then says 'good' or 'well done'."),
                           ("প্রায়ই নির্দিষ্ট করে প্রশংসা ও উৎসাহ দেন।",
                            "Often gives specific praise and encouragement."))),
                 _item("notices_needs", "শিক্ষক শিক্ষার্থীদের প্রয়োজনে সাড়া দেন",
                       "The teacher notices and responds to learners' needs", _lmh(
                           ("কেউ সমস্যায় পড়লে লক্ষ করেন না।", "Does not notice learners who struggle."),
                           ("কেউ চাইলে সাহায্য করেন।", "Helps when a learner asks."),
                           ("নিজে থেকে লক্ষ করে সাহায্য বা আসন বদলের ব্যবস্থা করেন।",
                            "Notices on her own and helps or rearranges seating."))),
                 _item("fair_to_all", "মেয়ে ও ছেলে সবাইকে সমান সুযোগ দেন",
                       "Girls and boys get the same chances", _lmh(
                           ("একটি দল স্পষ্টভাবে বেশি সুযোগ বা কম কাজ পায়।",
                            "One group clearly gets more turns or easier jobs."),
                           ("বেশিরভাগ সময় সমান, কিছু পার্থক্য আছে।", "Mostly equal, with some differences."),
                           ("প্রশ্ন, দায়িত্ব ও প্রশংসা সবাই সমানভাবে পায়।",
                            "Questions, jobs and praise go to all alike."))),
             ]},
            {"code": "behaviour", "title_bn": "আচরণের স্পষ্ট প্রত্যাশা", "title_en": "Clear expectations for behaviour",
             "items": [
                 _item("sets_rules", "কী আচরণ আশা করা হয় তা স্পষ্ট",
                       "What is expected of learners is clear", _lmh(
                           ("নিয়ম বলা হয় না বা বোঝা যায় না।", "Rules are not said or not clear."),
                           ("কিছু নিয়ম বলা হয়, সব সময় মানা হয় না।", "Some rules are said, not always kept."),
                           ("শিক্ষার্থীরা জানে কী করতে হবে; রুটিন মসৃণভাবে চলে।",
                            "Learners know what to do; routines run smoothly."))),
                 _item("notices_good", "ভালো আচরণ লক্ষ করে স্বীকৃতি দেন",
                       "Good behaviour is noticed and named", _lmh(
                           ("শুধু খারাপ আচরণে মনোযোগ দেন।", "Only misbehaviour gets attention."),
                           ("কখনো কখনো ভালো আচরণের কথা বলেন।", "Sometimes mentions good behaviour."),
                           ("ভালো আচরণ নির্দিষ্ট করে প্রশংসা করেন।", "Names and praises good behaviour."))),
                 _item("redirects_calmly", "গোলমাল শান্তভাবে কাজে ফেরান",
                       "Misbehaviour is turned back to work calmly", _lmh(
                           ("শাস্তি, মারধর বা অপমান দিয়ে থামান।",
                            "Stops it with punishment, hitting or shaming."),
                           ("ধমক দিয়ে থামান, পাঠ থেমে যায়।", "Stops it with a scolding; the lesson halts."),
                           ("চোখের ইশারা, কাছে যাওয়া বা শান্ত কথায় কাজে ফেরান।",
                            "Uses a look, moving closer or a calm word to bring learners back."))),
             ]},
        ],
    },
    {
        "code": "instruction",
        "title_bn": "শিক্ষাদান",
        "title_en": "Instruction",
        "elements": [
            {"code": "facilitation", "title_bn": "পাঠ পরিচালনা", "title_en": "Running the lesson",
             "items": [
                 _item("states_goal", "পাঠের উদ্দেশ্য স্পষ্টভাবে জানান",
                       "The lesson's goal is made clear", _lmh(
                           ("কী শিখবে তা বলা হয় না।", "What learners will learn is not said."),
                           ("বিষয়ের নাম বলা হয়।", "The topic is named."),
                           ("কী শিখবে ও কেন, তা বলা হয় এবং পরে মিলিয়ে দেখা হয়।",
                            "What and why is said, and checked again at the end."))),
                 _item("clear_explanation", "ব্যাখ্যা পরিষ্কার ও সহজ",
                       "Explanations are clear and simple", _lmh(
                           ("ব্যাখ্যা অস্পষ্ট বা ভুল।", "Explanations are unclear or wrong."),
                           ("ব্যাখ্যা ঠিক, কিন্তু শুধু একভাবে।", "Explanations are right but given one way only."),
                           ("উদাহরণ, ছবি বা বস্তু দিয়ে কয়েকভাবে বোঝান।",
                            "Explains in several ways with examples, drawings or objects."))),
                 _item("shows_how", "করে দেখান এবং মুখে চিন্তা বলেন",
                       "Shows how, thinking aloud", _lmh(
                           ("করে দেখানো হয় না।", "Nothing is shown."),
                           ("উত্তর করে দেখান, কীভাবে ভাবলেন বলেন না।",
                            "Shows the answer without saying how she thought."),
                           ("ধাপে ধাপে করে দেখান ও নিজের চিন্তা বলেন।",
                            "Works step by step and says her thinking aloud."))),
             ]},
            {"code": "understanding", "title_bn": "বোঝা যাচাই", "title_en": "Finding out what learners understand",
             "items": [
                 _item("asks_to_check", "প্রশ্ন বা ছোট কাজ দিয়ে বোঝা যাচাই করেন",
                       "Uses questions or short tasks to find out what learners understand", _lmh(
                           ("যাচাই করা হয় না।", "No checking."),
                           ("‘বুঝেছ?’ বা একসাথে উত্তর চান।", "Asks 'understood?' or for chorus answers."),
                           ("এমন প্রশ্ন করেন যার উত্তরে বোঝা যায় কে কী বুঝেছে।",
                            "Asks questions whose answers show who understands what."))),
                 _item("watches_work", "কাজের সময় ঘুরে বেশিরভাগ শিক্ষার্থীকে দেখেন",
                       "Moves round and watches most learners as they work", _lmh(
                           ("সামনে বসে বা দাঁড়িয়ে থাকেন।", "Stays at the front."),
                           ("কয়েকজনের কাছে যান।", "Visits a few learners."),
                           ("প্রায় সবার কাজ দেখেন।", "Looks at nearly everyone's work."))),
                 _item("reads_work", "শুধু মুখের উত্তর নয়, লেখা বা করা কাজও দেখেন",
                       "Looks at what learners wrote or made, not only what they say", _lmh(
                           ("কাজ দেখা হয় না।", "Work is not looked at."),
                           ("কিছু খাতা বা স্লেট দেখেন।", "Looks at some copies or slates."),
                           ("বেশিরভাগের কাজ দেখে ভুলের ধরন চিনে নেন।",
                            "Looks at most work and spots common mistakes."))),
                 _item("adjusts", "যা দেখেন সেই অনুযায়ী পাঠ বদলান",
                       "Changes the lesson from what she finds", _lmh(
                           ("যাই দেখুন, পরিকল্পনা মতোই চলেন।", "Keeps to the plan whatever she sees."),
                           ("আবার বলেন, কিন্তু একইভাবে।", "Repeats, but the same way."),
                           ("অন্যভাবে বোঝান, সহজ বা কঠিন কাজ দেন।",
                            "Explains another way, or gives easier or harder tasks."))),
             ]},
            {"code": "feedback", "title_bn": "ফলাবর্তন", "title_en": "Feedback",
             "items": [
                 _item("fixes_misunderstanding", "ভুল বোঝা পরিষ্কার করতে নির্দিষ্ট ইঙ্গিত দেন",
                       "Gives specific hints that clear up misunderstandings", _lmh(
                           ("শুধু ‘ভুল’ বলেন।", "Only says 'wrong'."),
                           ("সঠিক উত্তর বলে দেন।", "Gives the right answer."),
                           ("ইঙ্গিত বা প্রশ্ন দিয়ে শিক্ষার্থীকে নিজে ঠিক করতে সাহায্য করেন।",
                            "Uses a hint or a question so the learner puts it right herself."))),
                 _item("names_success", "কোন অংশ ঠিক হয়েছে তা নির্দিষ্ট করে বলেন",
                       "Says exactly what was done well", _lmh(
                           ("সাফল্য উল্লেখ করা হয় না।", "Successes are not mentioned."),
                           ("‘ভালো’ বলেন, কী ভালো বলেন না।", "Says 'good' without saying what."),
                           ("কী ঠিক হয়েছে ও কেন, তা বলেন।", "Says what was right and why."))),
             ]},
            {"code": "thinking", "title_bn": "গভীর চিন্তা", "title_en": "Deeper thinking",
             "items": [
                 _item("open_questions", "একাধিক উত্তর হতে পারে এমন প্রশ্ন করেন",
                       "Asks questions with more than one answer or way", _lmh(
                           ("শুধু হ্যাঁ/না বা একটি শব্দের প্রশ্ন।", "Only yes/no or one-word questions."),
                           ("এক-দুটি খোলা প্রশ্ন।", "One or two open questions."),
                           ("প্রায়ই ‘কীভাবে জানলে?’, ‘আর কোনো উপায়?’ জিজ্ঞেস করেন।",
                            "Often asks 'how do you know?' and 'another way?'."))),
                 _item("thinking_tasks", "ভাবতে হয় এমন কাজ দেন",
                       "Gives tasks that make learners think", _lmh(
                           ("শুধু মুখস্থ বা অনুলিপি।", "Only memorising or copying."),
                           ("কিছু সমস্যা, একই ধরনের।", "Some problems, all of one kind."),
                           ("তুলনা, অনুমান, নিজের সমস্যা বানানোর মতো কাজ।",
                            "Tasks like comparing, estimating or making up problems."))),
                 _item("learners_ask", "শিক্ষার্থীরা নিজেরা প্রশ্ন করে",
                       "Learners ask their own questions", _lmh(
                           ("শিক্ষার্থীরা প্রশ্ন করে না।", "Learners ask nothing."),
                           ("দু-একটি প্রশ্ন, বেশিরভাগ নিয়ম নিয়ে।", "A question or two, mostly about rules."),
                           ("শিক্ষার্থীরা ‘কেন’ ও ‘যদি’ প্রশ্ন করে।", "Learners ask 'why' and 'what if'."))),
             ]},
        ],
    },
    {
        "code": "socio_emotional",
        "title_bn": "সামাজিক ও আবেগীয় দক্ষতা",
        "title_en": "Social and emotional skills",
        "elements": [
            {"code": "autonomy", "title_bn": "নিজে সিদ্ধান্ত নেওয়া", "title_en": "Learners' own choices",
             "items": [
                 _item("choices", "শিক্ষার্থীরা কিছু বাছাই করতে পারে",
                       "Learners may choose something", _lmh(
                           ("কোনো বাছাইয়ের সুযোগ নেই।", "No choices at all."),
                           ("ছোট বাছাই (কোন রং, কোন উপকরণ)।", "Small choices (which colour, which object)."),
                           ("কীভাবে সমাধান করবে বা কোন কাজ করবে বাছাই করে।",
                            "They choose how to solve it or which task to do."))),
                 _item("roles", "শিক্ষার্থীরা শ্রেণিতে দায়িত্ব পায়",
                       "Learners have jobs in the class", _lmh(
                           ("শিক্ষকই সব করেন।", "The teacher does everything."),
                           ("এক-দুজন দায়িত্ব পায়।", "One or two learners have a job."),
                           ("অনেকে দায়িত্ব পায় (উপকরণ বিতরণ, দলনেতা, হিসাব রাখা)।",
                            "Many have jobs (handing out materials, leading a group, keeping count)."))),
                 _item("volunteer", "শিক্ষার্থীরা নিজে থেকে অংশ নেয়",
                       "Learners take part of their own accord", _lmh(
                           ("ডাকলেও কেউ বলতে চায় না।", "Even when called, few want to speak."),
                           ("কয়েকজন হাত তোলে।", "A few raise their hands."),
                           ("অনেকে আগ্রহ নিয়ে এগিয়ে আসে।", "Many come forward eagerly."))),
             ]},
            {"code": "perseverance", "title_bn": "লেগে থাকা", "title_en": "Keeping at it",
             "items": [
                 _item("values_effort", "চেষ্টার মূল্য দেন, শুধু ফলের নয়",
                       "Effort is valued, not only results", _lmh(
                           ("শুধু সঠিক উত্তর গুরুত্ব পায়।", "Only right answers count."),
                           ("কখনো কখনো চেষ্টার প্রশংসা করেন।", "Sometimes praises effort."),
                           ("নিয়মিত চেষ্টা ও উন্নতির কথা বলেন।", "Regularly names effort and progress."))),
                 _item("hard_is_ok", "কঠিন কাজকে স্বাভাবিক ও শেখার অংশ হিসেবে দেখান",
                       "Treats hard tasks as a normal part of learning", _lmh(
                           ("কঠিন হলে এড়িয়ে যান বা উত্তর বলে দেন।",
                            "Avoids hard tasks or gives the answer."),
                           ("কঠিন কাজে কিছু সময় দেন।", "Gives some time on hard tasks."),
                           ("‘আবার চেষ্টা করি’ মনোভাব তৈরি করেন।", "Builds a 'let's try again' spirit."))),
                 _item("goals", "শিক্ষার্থীদের ছোট লক্ষ্য ঠিক করতে সাহায্য করেন",
                       "Helps learners set small goals", _lmh(
                           ("লক্ষ্যের কথা নেই।", "No talk of goals."),
                           ("শিক্ষক পুরো শ্রেণির লক্ষ্য বলেন।", "The teacher states a goal for the class."),
                           ("শিক্ষার্থীরা নিজের লক্ষ্য বলে ও মিলিয়ে দেখে।",
                            "Learners say their own goal and check it."))),
             ]},
            {"code": "together", "title_bn": "একসাথে কাজ", "title_en": "Working together",
             "items": [
                 _item("collaborate", "শিক্ষার্থীরা একসাথে কাজ করে",
                       "Learners work together", _lmh(
                           ("সব কাজ একা।", "All work is alone."),
                           ("পাশাপাশি বসে, কিন্তু আলাদা কাজ করে।", "They sit together but work separately."),
                           ("ভাগ করে কাজ করে ও মিলিয়ে দেখে।", "They share the work and check together."))),
                 _item("listen_share", "একে অপরের কথা শোনে ও ভাগ করে নেয়",
                       "Learners listen to each other and share", _lmh(
                           ("কথা কাটাকাটি বা কেউ বাদ পড়ে।", "Arguing, or someone is left out."),
                           ("বেশিরভাগ সময় শোনে।", "They mostly listen."),
                           ("পালা করে বলে, উপকরণ ভাগ করে, একে অপরকে সাহায্য করে।",
                            "They take turns, share materials and help each other."))),
                 _item("peer_talk", "শিক্ষার্থীরা পাঠ নিয়ে একে অপরের সাথে কথা বলে",
                       "Learners talk with each other about the lesson", _lmh(
                           ("শিক্ষার্থীদের মধ্যে পাঠের কথা হয় না।", "No talk about the lesson between learners."),
                           ("কিছু আলাপ, বেশিরভাগ উত্তর মেলানো।", "Some talk, mostly comparing answers."),
                           ("একে অপরকে বুঝিয়ে বলে ও প্রশ্ন করে।", "They explain to and question each other."))),
             ]},
        ],
    },
]

TEACH_SHAPED: dict[str, Any] = {
    "code": "teach-primary-shaped",
    "version": 1,
    "title_bn": "পাঠদান পর্যবেক্ষণ (টিচ প্রাইমারির কাঠামোয়)",
    "title_en": "Teaching observation (Teach Primary's structure)",
    "attribution": "Structure after Teach Primary, World Bank, CC BY 4.0; wording our own. "
                   "কাঠামো বিশ্বব্যাংকের টিচ প্রাইমারি (CC BY 4.0) অনুসারে; ভাষা আমাদের নিজস্ব।",
    "is_default": False,
    "definition": {
        "intro_bn": "পাঠের তিনটি সময়ে দেখুন কতজন শিক্ষার্থী কাজে আছে। প্রতিটি আচরণ কম, মাঝারি বা বেশি দেখা গেল "
                    "তা বাছুন; প্রতিটি অংশের ১–৫ নম্বর তা থেকে হিসাব হয়।",
        "intro_en": "At three moments in the lesson, note how many learners are on task. Rate each behaviour low, "
                    "medium or high; each element's 1–5 score is worked out from them.",
        "scoring": "teach_elements",
        "snapshots": {
            "count": 3,
            "prompt_bn": "এই মুহূর্তে কতজন শিক্ষার্থী পাঠের কাজে মনোযোগী?",
            "prompt_en": "At this moment, how many learners are busy with the lesson's task?",
            "levels": [
                {"value": "low", "label_bn": "কম (অর্ধেকের কম)", "label_en": "Low (fewer than half)"},
                {"value": "medium", "label_bn": "মাঝারি (অর্ধেক থেকে প্রায় সবাই)",
                 "label_en": "Medium (half to most)"},
                {"value": "high", "label_bn": "বেশি (প্রায় সবাই)", "label_en": "High (nearly all)"},
            ],
        },
        "sections": _TEACH_ELEMENTS,
    },
}

DEFAULT_INSTRUMENTS: tuple[dict[str, Any], ...] = (PRIMARY_MATHS, TEACH_SHAPED)
