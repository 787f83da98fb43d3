"""The teachers' library in the Bangla demo (issue 12): a few hundred contents across classes 1–10 and their
subjects, by teachers of several schools in Hatia and Subarnachar, in every state; real small files with previews;
mentor reviews, teachers' ratings and comments, reports, model contents with adaptations, uses in class, the
champions of the last four finished weeks, and an offline pack.

Two ways in, as `practice.py` does it:

- **Through the library's services** where the demo must show what the real code does: the contents with files
  (a one-page Bangla worksheet PDF drawn by WeasyPrint, a picture set drawn by Pillow, a short slide video drawn by
  media's generator) go through `content_create`, `content_file_add` (the shared upload checks) and
  `file_preview_make` (called here at once, so previews exist without the worker); submitted contents waiting in
  the Hatia mentor's queue, changes requested with feedback, a report upheld (the content hidden), open reports,
  adaptations of model contents, practice records naming contents, the champions' weeks and the offline pack.
- **In bulk** (`bulk_create`) for the many published contents behind them, their versions, reviews, ratings and
  comments — rows exactly as the services would have left them (the content's copied fields and search text by
  `copy_version_onto`, the body's safe HTML by `library.markdown`), dated back into the last weeks so the
  champions have weeks to choose from.

Every bulk content has a fixed key (uuid5 of its number), every service-made one a unique title by its author, so
loading again finds each and makes nothing twice. The random choices come from one seeded generator."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from shikhon.core.clock import dhaka_datetime, dhaka_today
from shikhon.demo import data
from shikhon.demo.data import DemoPerson
from shikhon.people.models import Role, User
from shikhon.people.phone import national_format, normalize_phone
from shikhon.people.selectors import placement_of

Say = Callable[[str], None]
NAMESPACE = uuid.UUID("3d6f1a52-0c4e-5b9a-8e71-5a2b9c4d7e10")  # the demo's library rows: uuid5(NAMESPACE, name)
SEED = 12

HATIA_MENTOR = "01711000005"
UPAZILA_OFFICER = "01711000004"
# New demo people for the library (contiguous after the practice people).
AUTHORS = ("01711000025", "01711000026", "01711000027", "01711000028", "01711000029", "01711000030")
DISTRICT_MENTOR = "01711000031"
NATIONAL_MENTOR = "01711000032"

LIBRARY_PEOPLE = [
    DemoPerson(AUTHORS[0], "আয়েশা সিদ্দিকা", "Ayesha Siddika", "সহকারী শিক্ষক", Role.Kind.TEACHER, "school:100003"),
    DemoPerson(AUTHORS[1], "মো. রফিকুল ইসলাম", "Rafiqul Islam", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100005"),
    DemoPerson(AUTHORS[2], "নাজমা আক্তার", "Nazma Akter", "সহকারী মৌলভি", Role.Kind.TEACHER, "school:100006"),
    DemoPerson(AUTHORS[3], "পারভীন সুলতানা", "Parvin Sultana", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100101"),
    DemoPerson(AUTHORS[4], "সুমন চন্দ্র দাস", "Sumon Chandra Das", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100102"),
    DemoPerson(AUTHORS[5], "ফারজানা ইয়াসমিন", "Farzana Yasmin", "সহকারী শিক্ষক", Role.Kind.TEACHER,
               "school:100103"),
    DemoPerson(DISTRICT_MENTOR, "হাসিনা মমতাজ", "Hasina Momtaz", "ইন্সট্রাক্টর, পিটিআই নোয়াখালী", Role.Kind.MENTOR,
               "district:5"),
    DemoPerson(NATIONAL_MENTOR, "ড. আনোয়ার হোসেন", "Dr Anwar Hossain", "বিশেষজ্ঞ, জাতীয় প্রাথমিক শিক্ষা একাডেমি",
               Role.Kind.MENTOR, "national"),
]
STORIES = {
    AUTHORS[0]: "library author (Jahajmara GPS): published contents, one hidden after a report",
    AUTHORS[1]: "library author (Hatia Island High School): secondary contents",
    AUTHORS[2]: "library author (Oskhali Dakhil Madrasa)",
    AUTHORS[3]: "library author (Subarnachar): model contents others adapt",
    AUTHORS[4]: "library author (Subarnachar)",
    AUTHORS[5]: "library author (Subarnachar High School): secondary contents",
    DISTRICT_MENTOR: "district mentor (Noakhali): promotes model contents",
    NATIONAL_MENTOR: "national mentor: promotes model contents, confirms the week's champions",
}

# Authors of the bulk contents: the demo's teachers of several schools (not the pending one, not the practice
# story's teacher) and the new authors. Hatia's are reviewed by mentor 005, Subarnachar's by the district mentor.
BULK_AUTHORS = ("01711000007", "01711000011", "01711000013", "01711000014", "01711000015", "01711000016",
                "01711000018", "01711000019", "01711000022", "01711000023", *AUTHORS)
RATERS = (*BULK_AUTHORS, "01711000006", "01711000020", "01711000021", "01711000024")
BULK_CONTENTS = 300
STATES_OF_BULK = {"draft": 14}  # the first 14 are drafts; every other bulk content is published
TWO_VERSIONS = 24  # published contents with a second, published version
MODELS = 30
WEEKS_BACK = 8

KIND_WORDS = {
    "lesson_plan": ("পাঠ পরিকল্পনা", "Lesson plan"),
    "worksheet": ("কাজের পাতা", "Worksheet"),
    "slides": ("স্লাইড", "Slides"),
    "pictures": ("ছবির সেট", "Picture set"),
    "video": ("ভিডিও পাঠ", "Video lesson"),
    "audio": ("অডিও পাঠ", "Audio lesson"),
}
KIND_WEIGHTS = {"lesson_plan": 45, "worksheet": 25, "slides": 12, "pictures": 10, "video": 5, "audio": 3}
ACTIVITIES = {
    "math": ("পাথর ও কাঠি দিয়ে গুনে দেখা", "জোড়ায় অঙ্ক মিলিয়ে দেখা", "বোর্ডে সংখ্যারেখা এঁকে দেখানো"),
    "bangla": ("ছড়া সবাই মিলে জোরে পড়া", "ছবি দেখে গল্প বলা", "বর্ণ কার্ড দিয়ে শব্দ বানানো"),
    "english": ("ছবি কার্ড দেখিয়ে শব্দ বলা (flash cards)", "জোড়ায় প্রশ্ন-উত্তর অনুশীলন", "গান গেয়ে শব্দ শেখা"),
    "science": ("হাতে-কলমে ছোট পরীক্ষা করা", "আশপাশ থেকে নমুনা সংগ্রহ", "দলে পর্যবেক্ষণ লিখে রাখা"),
}
DEFAULT_ACTIVITIES = ("দলে আলোচনা করে উত্তর খোঁজা", "ছবি বা উপকরণ দেখে প্রশ্ন করা", "নিজের ভাষায় উপস্থাপন")
FEEDBACK = ("শিখনফল আরও স্পষ্ট করে লিখুন, আর মূল্যায়নের প্রশ্নগুলো শিখনফলের সাথে মিলিয়ে দিন। পেছনের বেঞ্চের "
            "শিশুরা কীভাবে অংশ নেবে তাও লিখুন।")
COMMENTS = ("আমার শ্রেণিতে ব্যবহার করেছি, শিশুরা খুব আগ্রহ নিয়ে কাজ করেছে।", "উপকরণের বুদ্ধিটা দারুণ! ধন্যবাদ আপা।",
            "সময় একটু বেশি লেগেছে, তবে শিশুরা ভালো বুঝেছে।", "কাজের পাতাটা ছাপিয়ে নিয়েছি, কাজে লাগল।",
            "বড় শ্রেণিতে দল ছোট করে নিলে আরও ভালো হয়।", "Very useful, thank you!")


def key_of(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _user(phone: str) -> User:
    return User.objects.get(phone=normalize_phone(phone))


def _step(say: Say, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One part in a savepoint; a refusal is said, never fatal (the data was changed by hand, a rule changed)."""
    try:
        with transaction.atomic():
            return fn(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        say(f"WARNING: demo library “{what}” skipped: {exc!r}")
        return None


# ------------------------------------------------------------------------------------------ words


@dataclass
class Written:
    title: str
    summary: str
    body: str
    language: str


def _bn(number: int) -> str:
    from shikhon.core.bangla import format_number

    return str(format_number(number))


def write(*, subject: Any, grade: int, topic: Any, kind: str, english: bool, rng: random.Random) -> Written:
    """A content's words from sensible templates for its subject, class and chapter."""
    kind_bn, kind_en = KIND_WORDS[kind]
    if english:
        where = topic.name_en if topic else subject.name_en
        return Written(
            title=f"{kind_en}: {where} (Class {grade})",
            summary=f"A {kind_en.lower()} for {subject.name_en}, class {grade}: {where}. Pair work, simple "
                    "materials and a short check at the end.",
            body=(f"## Learning outcomes\n\nBy the end of the lesson learners can explain *{where}* in their own "
                  "words and solve two short tasks.\n\n## Materials\n\n- picture cards\n- the textbook\n- a "
                  "blackboard\n\n## Steps\n\n1. Warm-up song or rhyme (5 minutes).\n2. Show the picture cards and "
                  "ask open questions (10 minutes).\n3. Pair work: learners try the task together (15 minutes).\n"
                  "4. Two pairs show their work to the class (5 minutes).\n\n## Check\n\nAsk three learners from the "
                  "back benches to answer one question each.\n"),
            language="en")
    where = topic.name_bn if topic else subject.name_bn
    acts = ACTIVITIES.get(subject.code, DEFAULT_ACTIVITIES)
    act = acts[rng.randrange(len(acts))]
    minutes = rng.choice((35, 40, 45))
    return Written(
        title=f"{where} — {kind_bn} ({_bn(grade)} শ্রেণি)",
        summary=f"{_bn(grade)} শ্রেণির {subject.name_bn}: “{where}”। {act} — সহজ উপকরণে, {_bn(minutes)} মিনিটের "
                "পাঠ। শেষে ছোট মূল্যায়ন।",
        body=(f"## শিখনফল\n\nপাঠ শেষে শিক্ষার্থীরা *{where}* নিজের ভাষায় বলতে পারবে এবং দুটি ছোট কাজ নিজে করতে "
              f"পারবে।\n\n## উপকরণ\n\n- পাঠ্যবই\n- ছবি কার্ড বা হাতের কাছের উপকরণ (পাথর, কাঠি, পাতা)\n- চক ও বোর্ড\n\n"
              f"## পাঠের ধাপ\n\n1. শুরু: ছড়া বা গান দিয়ে মনোযোগ আনা ({_bn(5)} মিনিট)।\n2. {act} "
              f"({_bn(10)} মিনিট)।\n3. জোড়ায় বা দলে কাজ: সবাই হাতে-কলমে চেষ্টা করবে ({_bn(15)} মিনিট)।\n"
              f"4. দুটি দল তাদের কাজ দেখাবে; অন্যরা প্রশ্ন করবে ({_bn(5)} মিনিট)।\n\n## মূল্যায়ন\n\n"
              "পেছনের বেঞ্চের তিনজন শিক্ষার্থীকে একটি করে প্রশ্ন করুন। যারা পারেনি, পরের পাঠের শুরুতে তাদের "
              "সাথে আবার দেখে নিন।\n"),
        language="bn")


# ------------------------------------------------------------------------------------------ files


def worksheet_pdf(title: str, grade: int) -> bytes:
    """A one-page Bangla worksheet, drawn by WeasyPrint with the site's Bangla font (as `core.pdf` does)."""
    from django.utils.html import escape
    from weasyprint import HTML

    from shikhon.core.pdf import FONT_DIR, FONT_FAMILY, font_face_css

    rows = "".join(f"<tr><td>{_bn(n)}</td><td>{_bn(n + 3)} + {_bn(n + 1)} = ______</td>"
                   f"<td>{'●' * (n + 1)}</td></tr>" for n in range(1, 7))
    html = (f"<html lang='bn'><head><meta charset='utf-8'><style>{font_face_css()} "
            f"body {{ font-family: '{FONT_FAMILY}'; font-size: 14pt; }} h1 {{ font-size: 20pt; }} "
            "table { border-collapse: collapse; width: 100%; } td { border: 1px solid #555; padding: 8pt; }"
            "@page { size: A4; margin: 18mm; }</style></head><body>"
            f"<h1>{escape(title)}</h1><p>নাম: ______________________ &nbsp; শ্রেণি: {_bn(grade)} &nbsp; "
            "তারিখ: __________</p><p>প্রতিটি যোগ করো। ডান পাশের গোল দাগগুলো গুনে মিলিয়ে দেখো।</p>"
            f"<table>{rows}</table><p>শিক্ষকের মন্তব্য: ____________________________</p></body></html>")
    return bytes(HTML(string=html, base_url=str(FONT_DIR)).write_pdf())


def picture(seed: int) -> bytes:
    """A drawn picture card (fruit to count on a slate), a JPEG as a phone would take it."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 — reproducible drawings, not secrets
    image = Image.new("RGB", (800, 600), (38, 70, 60))  # a slate
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 780, 580), outline=(170, 120, 70), width=14)
    colours = ((220, 60, 50), (240, 180, 40), (90, 170, 70))
    for n in range(3 + seed % 6):
        x, y = 80 + (n % 4) * 170, 110 + (n // 4) * 200
        draw.ellipse((x, y, x + 120, y + 120), fill=colours[rng.randrange(3)])
        draw.line((x + 60, y, x + 70, y - 30), fill=(110, 70, 30), width=8)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def slide_video(folder: Any) -> bytes:
    """A short slide video (two slides, two seconds each) by media's demo generator."""
    from shikhon.media import generate

    path = generate.slides_video(slides=["১ + ২ = ৩", "২ + ৩ = ৫"], out_path=folder / "jog.mp4",
                                 title="যোগ শিখি", seconds_per_slide=2.0)
    return bytes(path.read_bytes())


# ------------------------------------------------------------------------------------------ curriculum


class _Tree:
    def __init__(self) -> None:
        from shikhon.library.models import Subject, Topic

        self.subjects = list(Subject.objects.order_by("position", "code"))
        self.chapters: dict[tuple[int, int], list[Any]] = {}
        for topic in Topic.objects.filter(parent__isnull=True).order_by("number"):
            self.chapters.setdefault((topic.subject_id, topic.grade), []).append(topic)
        self.by_code = {s.code: s for s in self.subjects}

    def pick(self, rng: random.Random, grade: int) -> tuple[Any, Any]:
        taught = [s for s in self.subjects if s.grade_from <= grade <= s.grade_to]
        # Half the contents on the subjects with chapters (Bangla, English, maths, science): what is taught most.
        with_chapters = [s for s in taught if self.chapters.get((s.pk, grade))]
        subject = rng.choice(with_chapters if with_chapters and rng.random() < 0.7 else taught)
        chapters = self.chapters.get((subject.pk, grade), [])
        return subject, (rng.choice(chapters) if chapters else None)


# ------------------------------------------------------------------------------------------ bulk contents


def _weeks(today: dt.date) -> list[dt.date]:
    """Sundays of the last `WEEKS_BACK` finished weeks, newest first."""
    from shikhon.recognition.services import last_finished_week

    last = last_finished_week(today)
    return [last - dt.timedelta(days=7 * n) for n in range(WEEKS_BACK)]


def _moment(rng: random.Random, week: dt.date, *, latest: dt.datetime) -> dt.datetime:
    moment = dhaka_datetime(week) + dt.timedelta(days=rng.randrange(5), hours=9 + rng.randrange(10),
                                                 minutes=rng.randrange(60))
    return min(moment, latest)


def _bulk(tree: _Tree, rng: random.Random, weeks: list[dt.date], say: Say) -> int:
    """The bulk contents not there yet, with their versions and reviews; answers how many were made."""
    from shikhon.library import markdown
    from shikhon.library.models import Content, ContentVersion, Review, State
    from shikhon.library.rubric import current_rubric, definition_of
    from shikhon.library.services.copying import copy_version_onto

    authors = [_user(phone) for phone in BULK_AUTHORS]
    placements = {a.pk: placement_of(a) for a in authors}
    hatia_mentor, district_mentor = _user(HATIA_MENTOR), _user(DISTRICT_MENTOR)
    rubric = current_rubric()
    criteria = definition_of(rubric).keys
    existing = set(Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)])
                   .values_list("key", flat=True))
    now, hatia = timezone.now(), _hatia_id()
    contents: list[Content] = []
    versions: list[list[ContentVersion]] = []
    for n in range(BULK_CONTENTS):
        # Every choice is drawn whether or not the row exists, so the rows made are the same on every load.
        author = authors[n % len(authors)]
        grade = 1 + rng.randrange(10) if n % 3 else 1 + rng.randrange(5)  # primary grades a little more often
        if n < 12:
            grade = 1  # the offline pack's grade 1 maths has enough to show
        subject, topic = tree.pick(rng, grade)
        if n < 12:
            subject = tree.by_code["math"]
            chapters = tree.chapters.get((subject.pk, 1), [])
            topic = chapters[n % len(chapters)] if chapters else None
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        words = write(subject=subject, grade=grade, topic=topic, kind=kind, english=rng.random() < 0.1, rng=rng)
        week = weeks[rng.randrange(len(weeks))]
        published_at = _moment(rng, week, latest=now - dt.timedelta(hours=2))
        draft = n < STATES_OF_BULK["draft"]
        two = not draft and n < STATES_OF_BULK["draft"] + TWO_VERSIONS
        scores = [{c: rng.choice((2, 3, 3, 3, 4, 4)) for c in criteria} for _ in range(2)]
        key = key_of(f"bulk:{n}")
        if key in existing:
            continue
        placement = placements[author.pk]
        made: list[ContentVersion] = []
        numbers = (1, 2) if two else (1,)
        for number in numbers:
            title = words.title if number == 1 else words.title.replace("—", "— সংশোধিত", 1)
            body = words.body if number == 1 else words.body + "\n## যা বদলেছে\n\nমূল্যায়নের প্রশ্ন যোগ হয়েছে।\n"
            state = (State.DRAFT if draft else State.SUPERSEDED if two and number == 1 else State.PUBLISHED)
            made.append(ContentVersion(number=number, state=state, title=title, summary=words.summary, body=body,
                                       body_html=markdown.render(body), grade=grade, subject=subject, topic=topic,
                                       kind=kind, language=words.language, made_by=author))
        content = Content(key=key, author=author, state=made[-1].state)
        content.place_at(placement)
        copy_version_onto(content, made[-1])
        if not draft:
            content.published_at = published_at
            content.views = rng.randrange(20, 900)
            content.downloads = content.views // rng.randrange(3, 9)
            content.mentor_score = None
        content._demo = {"scores": scores, "at": published_at,  # type: ignore[attr-defined]
                         "mentor": hatia_mentor if placement.upazila_id == hatia else district_mentor}
        contents.append(content)
        versions.append(made)
    if not contents:
        return 0
    Content.objects.bulk_create(contents)
    for content, made in zip(contents, versions, strict=True):
        for version in made:
            version.content = content
    ContentVersion.objects.bulk_create([v for made in versions for v in made])
    reviews: list[Review] = []
    updated: list[Content] = []
    for content, made in zip(contents, versions, strict=True):
        content.latest_version = made[-1]
        if made[-1].state == State.PUBLISHED:
            content.published_version = made[-1]
            for version, scores in zip(made, content._demo["scores"], strict=False):  # type: ignore[attr-defined]
                avg = Decimal(sum(scores.values())) / len(scores)
                reviews.append(Review(version=version, content=content, reviewer=content._demo["mentor"],  # type: ignore[attr-defined]
                                      rubric=rubric, scores=scores, average=avg.quantize(Decimal("0.01")),
                                      decision=Review.Decision.PUBLISH))
            content.mentor_score = reviews[-1].average
        updated.append(content)
    Content.objects.bulk_update(updated, ["latest_version", "published_version", "mentor_score"])
    Review.objects.bulk_create(reviews)
    # Backdated (auto_now fields are set on insert; bulk_update writes the values given): made a little before it
    # was published, reviewed when it was published.
    all_versions = []
    for content, made in zip(contents, versions, strict=True):
        at = content._demo["at"]  # type: ignore[attr-defined]
        content.created_at, content.updated_at = at - dt.timedelta(days=3), at
        for version in made:
            shift = dt.timedelta(days=2 * (len(made) - version.number))
            version.created_at = at - dt.timedelta(days=3) - shift
            if version.state != State.DRAFT:
                version.submitted_at, version.decided_at = at - dt.timedelta(days=1) - shift, at - shift
            all_versions.append(version)
    for review in reviews:
        review.created_at = review.version.decided_at or timezone.now()
    Content.objects.bulk_update(contents, ["created_at", "updated_at"], batch_size=500)
    ContentVersion.objects.bulk_update(all_versions, ["created_at", "submitted_at", "decided_at"], batch_size=500)
    Review.objects.bulk_update(reviews, ["created_at"], batch_size=500)
    say(f"Library: {len(contents)} contents made in bulk.")
    return len(contents)


def _hatia_id() -> int:
    from shikhon.places.models import Upazila

    return int(Upazila.objects.get(code=data.HATIA).pk)


def _ratings(rng: random.Random, weeks: list[dt.date]) -> None:
    """Ratings from many teachers (one each per content, never the author's own), a realistic spread, dated in
    the content's week; comments on some. Made only for demo contents that have none yet."""
    from shikhon.library.models import Comment, Content, Rating

    raters = [_user(phone) for phone in RATERS]
    schools = {u.pk: placement_of(u).school_id for u in raters}
    rated = set(Rating.objects.values_list("content_id", flat=True).distinct())
    contents = list(Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)],
                                           published_version__isnull=False).order_by("pk"))
    now = timezone.now()
    rows: list[Rating] = []
    dates: list[dt.datetime] = []
    comments: list[Comment] = []
    for content in contents:
        quality = rng.choice((-1, 0, 0, 1, 1))
        others = [r for r in raters if r.pk != content.author_id]
        chosen = rng.sample(others, k=min(len(others), rng.randrange(4, 15)))
        spread = [(1, 2), (2, 6), (3, 18), (4, 40), (5, 34)]
        for rater in chosen:
            stars = rng.choices([s for s, _w in spread], weights=[w for _s, w in spread])[0]
            stars = max(1, min(5, stars + (quality if rng.random() < 0.5 else 0)))
            moment = min((content.published_at or now) + dt.timedelta(hours=rng.randrange(1, 60)),
                         now - dt.timedelta(minutes=30))
            if content.pk in rated:
                continue
            rows.append(Rating(content=content, rater=rater, stars=stars, rater_school_id=schools[rater.pk]))
            dates.append(moment)
        if content.pk not in rated and rng.random() < 0.25:
            comments.append(Comment(content=content, author=chosen[0], body=rng.choice(COMMENTS)))
    Rating.objects.bulk_create(rows)
    Comment.objects.bulk_create(comments)
    # Dated back (auto_now fields are set on insert; bulk_update writes the values given): the champions read
    # when a rating was made.
    for row, moment in zip(rows, dates, strict=True):
        row.created_at = row.updated_at = moment
    Rating.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=500)
    _recount([c.pk for c in contents])


def _recount(content_ids: list[int]) -> None:
    from shikhon.library.models import Content, Rating

    totals = {row["content_id"]: row for row in Rating.objects.filter(content_id__in=content_ids)
              .values("content_id").annotate(n=Count("id"), s=Sum("stars")).order_by()}
    changed = []
    for content in Content.objects.filter(pk__in=content_ids).only("pk", "rating_count", "rating_sum",
                                                                   "rating_average"):
        row = totals.get(content.pk)
        n, s = (row["n"], row["s"]) if row else (0, 0)
        content.rating_count, content.rating_sum = n, s
        content.rating_average = (Decimal(s) / n).quantize(Decimal("0.01")) if n else None
        changed.append(content)
    Content.objects.bulk_update(changed, ["rating_count", "rating_sum", "rating_average"])


def _models() -> None:
    """~30 published contents promoted to model contents by the district and the national mentor (the best
    rated first; rows as `content_promote` leaves them)."""
    from shikhon.library.models import Content

    demo = Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)],
                                  published_version__isnull=False, hidden_at__isnull=True)
    have = demo.filter(is_model=True).count()
    if have >= MODELS:
        return
    district, national = _user(DISTRICT_MENTOR), _user(NATIONAL_MENTOR)
    best = list(demo.filter(is_model=False).order_by("-rating_average", "pk")[:MODELS - have])
    now = timezone.now()
    for n, content in enumerate(best):
        content.is_model, content.model_by = True, national if n % 2 else district
        content.model_since = now - dt.timedelta(days=n % 20)
    Content.objects.bulk_update(best, ["is_model", "model_by", "model_since"])


# ------------------------------------------------------------------------------------------ through services


@dataclass(frozen=True)
class Showcase:
    name: str
    author: str
    grade: int
    subject: str
    kind: str
    title: str
    summary: str
    end: str  # "published", "submitted", "changes", "draft"
    files: tuple[str, ...] = ()  # "pdf", "picture", "video"


SHOWCASES = (
    Showcase("worksheet", "01711000007", 1, "math", "worksheet", "যোগের কাজের পাতা: গোল দাগ গুনে যোগ",
             "১ম শ্রেণির গণিত: গোল দাগ গুনে ছোট সংখ্যার যোগ। এক পাতার কাজের পাতা, ছাপিয়ে বা বোর্ডে লিখে ব্যবহার করুন।",
             "published", ("pdf",)),
    Showcase("fruit", "01711000013", 1, "math", "pictures", "ফল গুনি: ছবির কার্ড",
             "গোনার জন্য ছবির কার্ড: স্লেটের উপর ফল। দলে ভাগ করে দিন, প্রতিটি দল একটি কার্ড গুনবে।",
             "published", ("picture", "picture")),
    Showcase("video", "01711000014", 1, "math", "video", "যোগ শিখি: ছোট ভিডিও",
             "দুটি যোগ ধীরে ধীরে দেখানো ছোট ভিডিও — ক্লাসে ফোনে দেখিয়ে আলোচনা করুন।", "published", ("video",)),
    Showcase("subtraction", "01711000016", 2, "math", "lesson_plan", "বিয়োগ: কাঠি সরিয়ে গুনি",
             "২য় শ্রেণির গণিত: কাঠি সরিয়ে বিয়োগ বোঝা, জোড়ায় কাজ।", "submitted", ("pdf",)),
    Showcase("rhyme", "01711000011", 1, "bangla", "lesson_plan", "আয় আয় চাঁদ মামা: ছড়া পড়ি",
             "১ম শ্রেণির বাংলা: ছড়া সবাই মিলে পড়া, ছবি দেখে শব্দ বলা।", "submitted"),
    Showcase("plants", "01711000015", 3, "science", "lesson_plan", "গাছের অংশ চিনি",
             "৩য় শ্রেণির বিজ্ঞান: স্কুলের মাঠ থেকে পাতা, কাণ্ড, শিকড় সংগ্রহ করে চেনা।", "submitted", ("picture",)),
    Showcase("shapes", "01711000019", 2, "math", "worksheet", "আকৃতি চিনি: ত্রিভুজ, চতুর্ভুজ, বৃত্ত",
             "২য় শ্রেণির গণিত: চারপাশের জিনিসে আকৃতি খোঁজা।", "submitted"),
    Showcase("weather", "01711000018", 4, "science", "lesson_plan", "আবহাওয়া ও ঋতু",
             "৪র্থ শ্রেণির বিজ্ঞান: ছয় ঋতুর ছবি দেখে আলোচনা।", "changes"),
    Showcase("letters", "01711000007", 1, "bangla", "slides", "স্বরবর্ণ চিনি: অ থেকে ঔ",
             "১ম শ্রেণির বাংলা: ছবি দিয়ে স্বরবর্ণ চেনা।", "changes"),
    Showcase("greetings", AUTHORS[0], 3, "english", "lesson_plan", "Greetings and introductions",
             "Class 3 English: saying hello, asking names, pair practice.", "changes"),
)


def _find(author: User, title: str) -> Any:
    from shikhon.library.models import Content

    return Content.objects.filter(author=author, title=title).order_by("pk").first()


def _showcase(spec: Showcase, tree: _Tree, *, videos: bool) -> Any:
    from shikhon.library.models import ContentFile, Review
    from shikhon.library.rubric import current_rubric, definition_of
    from shikhon.library.services import contents, files, reviews

    author = _user(spec.author)
    content = _find(author, spec.title)
    if content is not None:
        return content
    subject = tree.by_code[spec.subject]
    chapters = tree.chapters.get((subject.pk, spec.grade), [])
    words = write(subject=subject, grade=spec.grade, topic=chapters[0] if chapters else None, kind=spec.kind,
                  english=spec.subject == "english", rng=random.Random(spec.name))  # noqa: S311
    content = contents.content_create(actor=author, title=spec.title, summary=spec.summary, body=words.body,
                                      grade=spec.grade, subject=subject, topic=chapters[0] if chapters else None,
                                      kind=spec.kind, language=words.language)
    for n, what in enumerate(spec.files):
        if what == "video" and not videos:
            continue
        if what == "pdf":
            upload = File(io.BytesIO(worksheet_pdf(spec.title, spec.grade)), name=f"{spec.name}.pdf")
        elif what == "picture":
            upload = File(io.BytesIO(picture(n + len(spec.name))), name=f"{spec.name}-{n + 1}.jpg")
        else:
            import tempfile
            from pathlib import Path

            with tempfile.TemporaryDirectory(prefix="shikhon-demo-library-") as tmp:
                upload = File(io.BytesIO(slide_video(Path(tmp))), name=f"{spec.name}.mp4")
        row = files.content_file_add(actor=author, content=content, upload=upload)
        if row.preview_state == ContentFile.Preview.PENDING:
            files.file_preview_make(file_id=row.pk)  # the worker's task, at once
    if spec.end == "draft":
        return content
    content = contents.content_submit(actor=author, content=content)
    if spec.end == "submitted":
        return content
    mentor = _user(HATIA_MENTOR) if placement_of(author).upazila_id == _hatia_id() else _user(DISTRICT_MENTOR)
    keys = definition_of(current_rubric()).keys
    reviews.review_start(actor=mentor, content=content)
    if spec.end == "changes":
        reviews.review_submit(actor=mentor, content=content, scores=dict.fromkeys(keys, 2),
                              decision=Review.Decision.CHANGES, feedback=FEEDBACK)
    else:
        reviews.review_submit(actor=mentor, content=content, scores={k: 4 if i % 2 else 3 for i, k in
                                                                      enumerate(keys)},
                              decision=Review.Decision.PUBLISH, feedback="ভালো কাজ! শিশুরা হাতে-কলমে শিখবে।")
    content.refresh_from_db()
    return content


def _showcase_feedback(say: Say) -> None:
    """Ratings and a comment on the published showcases, through the feedback services (today)."""
    from shikhon.library.models import Rating
    from shikhon.library.services.feedback import comment_add, rating_set

    for spec in SHOWCASES:
        if spec.end != "published":
            continue
        content = _find(_user(spec.author), spec.title)
        if content is None or not content.is_published or Rating.objects.filter(content=content).exists():
            continue
        for n, phone in enumerate(("01711000006", "01711000020", "01711000022", AUTHORS[3], AUTHORS[4])):
            _step(say, f"rating of {spec.name}", rating_set, actor=_user(phone), content=content,
                  stars=5 if n % 3 else 4)
        _step(say, f"comment on {spec.name}", comment_add, actor=_user(AUTHORS[4]), content=content,
              body=COMMENTS[0])


def _reports(say: Say) -> None:
    """One content hidden after a report was upheld; two open reports in Hatia's moderation queue."""
    from shikhon.library.models import Content, Report
    from shikhon.library.services.feedback import report_create
    from shikhon.library.services.moderation import report_uphold

    hatia = Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)],
                                   upazila_id=_hatia_id(), published_version__isnull=False, is_model=False,
                                   adapted_from__isnull=True).order_by("pk")
    if not Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)],
                                  hidden_at__isnull=False).exists():
        target = hatia.filter(author=_user(AUTHORS[0])).first() or hatia.first()
        if target is not None:
            report = _step(say, "report to uphold", report_create, actor=_user("01711000014"), content=target,
                           reason=Report.Reason.COPYRIGHT,
                           note="এই কাজের পাতাটি একটি প্রকাশিত গাইড বই থেকে হুবহু নেওয়া, উৎস লেখা নেই।")
            if report is not None:
                _step(say, "uphold the report", report_uphold, actor=_user(HATIA_MENTOR), report=report,
                      reason="গাইড বই থেকে হুবহু নেওয়া; লেখক নিজের ভাষায় লিখে আবার জমা দিতে পারেন।")
    if Report.objects.filter(status=Report.Status.OPEN, upazila_id=_hatia_id()).count() < 2:
        candidates = list(hatia.filter(hidden_at__isnull=True)[5:7])
        notes = ((Report.Reason.WRONG, "দ্বিতীয় ধাপের উত্তরটি ভুল লেখা আছে: ৭ + ৫ = ১২, ১৩ নয়।"),
                 (Report.Reason.OTHER, "ছবিগুলো খুব ঝাপসা, ছাপালে কিছু বোঝা যায় না।"))
        for content, (reason, note) in zip(candidates, notes, strict=False):
            if not Report.objects.filter(content=content, status=Report.Status.OPEN).exists():
                _step(say, "open report", report_create, actor=_user("01711000020"), content=content,
                      reason=reason, note=note)


def _adaptations(say: Say) -> None:
    """Three model contents adapted by other teachers (lineage both ways); one adaptation sent for review."""
    from shikhon.library.models import Content
    from shikhon.library.services.adapt import content_adapt

    models = list(Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)],
                                         is_model=True, hidden_at__isnull=True).order_by("-rating_average", "pk")[:3])
    adapters = (("01711000007", "01711000011", "01711000013"), ("01711000015", AUTHORS[1]),
                (AUTHORS[4], "01711000016"))
    for model, phones in zip(models, adapters, strict=False):
        for phone in phones:
            user = _user(phone)
            if user.pk != model.author_id:
                _step(say, f"adapt {model.pk}", content_adapt, actor=user, content=model)


def _uses(say: Say, weeks: list[dt.date]) -> None:
    """Practice records naming a few published contents (the "used in class" counts), through practice's
    record service, dated in the last weeks."""
    from shikhon.library.models import Content
    from shikhon.practice.services.log import record_create

    contents = list(Content.objects.filter(key__in=[key_of(f"bulk:{n}") for n in range(BULK_CONTENTS)],
                                           published_version__isnull=False, hidden_at__isnull=True,
                                           grade__lte=5).order_by("pk")[:8])
    teachers = ("01711000007", "01711000011", "01711000013", AUTHORS[0], AUTHORS[3])
    for n, content in enumerate(contents):
        for m, phone in enumerate(teachers[: 2 + n % 3]):
            user = _user(phone)
            if user.pk == content.author_id:
                continue
            week = weeks[(n + m) % 4]
            _step(say, f"use of {content.pk}", record_create, actor=user, content=content,
                  taught_on=min(week + dt.timedelta(days=1 + m), dhaka_today()), outcome="taught",
                  grade=content.grade, section="ক", learners_present=30 + n, minutes=40, rating=4,
                  what_worked="শিশুরা আগ্রহ নিয়ে কাজ করেছে।",
                  client_id=uuid.uuid5(NAMESPACE, f"use:{content.key}:{phone}"))


def _champions(say: Say, weeks: list[dt.date]) -> None:
    """The champions of the last four finished weeks, by recognition's services: the three older announced, the
    latest computed and waiting for an officer to confirm it."""
    from shikhon.recognition.models import ChampionWeek
    from shikhon.recognition.services import week_announce, week_compute

    for n, starts_on in enumerate(reversed(weeks[:4])):
        week = ChampionWeek.objects.filter(starts_on=starts_on).first()
        if week is None:
            week = _step(say, f"champions of {starts_on}", week_compute, starts_on=starts_on)
        if week is not None and n < 3 and week.status != ChampionWeek.Status.ANNOUNCED:
            _step(say, f"announce {starts_on}", week_announce, actor=None, week=week)


def _pack(say: Say) -> Any:
    """An offline pack of class 1 maths, asked for by the Hatia officer and built at once (the worker's task)."""
    from shikhon.library.models import OfflinePack, Subject
    from shikhon.library.services.packs import pack_build, pack_request

    officer = _user(UPAZILA_OFFICER)
    title = "প্রথম শ্রেণির গণিত"
    pack = OfflinePack.objects.filter(created_by=officer, title=title).first()
    if pack is None:
        pack = _step(say, "offline pack", pack_request, actor=officer, title=title, grade=1,
                     subject=Subject.objects.get(code="math"))
    if pack is not None and pack.status != OfflinePack.Status.READY:
        pack = pack_build(pack.pk)
    return pack


# ------------------------------------------------------------------------------------------ load


def load_demo_library(*, videos: bool = True, say: Say | None = None) -> list[tuple[DemoPerson, User]]:
    """Load (or complete) the library's demo. Needs `data.load_demo()` (and the practice people) first."""
    say = say or (lambda line: None)
    made = data.load_people(LIBRARY_PEOPLE)
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data, not secrets
    tree = _Tree()
    weeks = _weeks(dhaka_today())
    with transaction.atomic():
        _bulk(tree, rng, weeks, say)
        _ratings(rng, weeks)
        _models()
    for spec in SHOWCASES:
        _step(say, f"content {spec.name}", _showcase, spec, tree, videos=videos)
    _showcase_feedback(say)
    _reports(say)
    _adaptations(say)
    _uses(say, weeks)
    _champions(say, weeks)
    _pack(say)
    return made


def describe_library(made: list[tuple[DemoPerson, User]]) -> str:
    from shikhon.library.models import Content

    published = Content.objects.filter(published_version__isnull=False, hidden_at__isnull=True).count()
    models = Content.objects.filter(is_model=True).count()
    lines = ["", f"The library — {published} published contents, {models} model contents: /library/",
             f"  {national_format(normalize_phone(HATIA_MENTOR))}  mentor Selina: contents waiting in her review "
             "queue and open reports in her moderation queue"]
    for person, user in made:
        role = str(Role.Kind(person.kind).label)
        lines.append(f"  {national_format(user.phone)}  {role:<13} {user.name_en:<17} {STORIES.get(person.phone, '')}")
    return "\n".join(lines)
