"""The national-scale bench dataset: teachers, schools and officers in the real 494 upazilas.

Bench rows are recognisable, so they can be dropped and reloaded without touching anything else:
people have mobile numbers +880199XXXXXXX (valid Banglalink numbers, one range per role) and
schools have EIINs from 800000 up. On PostgreSQL the rows are streamed with COPY (a million
teachers in a minute or two); elsewhere, small scales go through bulk_create.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, models, transaction

from shikhon.certificates.models import Certificate
from shikhon.certificates.services import authority as certificate_authority
from shikhon.core.clock import dhaka_date
from shikhon.courses.models import (
    Activity,
    ActivityProgress,
    Choice,
    Course,
    Enrolment,
    Module,
    Question,
    Quiz,
    QuizAttempt,
)
from shikhon.people.models import Role
from shikhon.places.models import School, Union, Upazila

PHONE_PREFIX = "+880199"  # + 7 digits; 019 is a Banglalink mobile prefix
EIIN_FIRST = 800_000
EIIN_LAST = 999_999
SCHOOLS_AT_FULL_SCALE = 65_000
TEACHERS_AT_FULL_SCALE = 1_000_000
MAX_SCALE = 3.0
# The ORM path (any database) is for small scales only; COPY needs PostgreSQL.
ORM_MAX_SCALE = 0.05
SEED = 1971

# Number ranges inside the prefix, one per kind of person, so phones never collide.
TEACHER_BASE = 0
HEAD_TEACHER_BASE = 5_000_000
UPAZILA_OFFICER_BASE = 9_000_000
DISTRICT_OFFICER_BASE = 9_100_000
DIVISION_OFFICER_BASE = 9_200_000

EPOCH = dt.datetime(2023, 1, 1, 9, 0, tzinfo=dt.UTC)
JOIN_WINDOW_MINUTES = 700 * 24 * 60
UNUSABLE_PASSWORD = "!bench-dataset"  # noqa: S105 — a leading "!" means "no password" to Django

FEMALE = [("রুবি", "Rubi"), ("মাসুমা", "Masuma"), ("নাসরিন", "Nasrin"), ("ফারহানা", "Farhana"),
          ("সেলিনা", "Selina"), ("শাহানা", "Shahana"), ("কামরুন", "Kamrun"), ("তাসলিমা", "Taslima"),
          ("রোকসানা", "Roksana"), ("সুমাইয়া", "Sumaiya"), ("নুসরাত", "Nusrat"), ("মরিয়ম", "Moriyam"),
          ("জান্নাতুল", "Jannatul"), ("শিরিন", "Shirin"), ("লাকি", "Laki"), ("পারভীন", "Parvin")]
MALE = [("জাহিদ", "Zahid"), ("তানভীর", "Tanvir"), ("আবুল", "Abul"), ("মাহবুব", "Mahbub"), ("রফিক", "Rafiq"),
        ("কামাল", "Kamal"), ("শফিক", "Shafiq"), ("হাসান", "Hasan"), ("আরিফ", "Arif"), ("সাইফুল", "Saiful"),
        ("মনির", "Monir"), ("রাশেদ", "Rashed"), ("জসিম", "Jashim"), ("নাজমুল", "Nazmul"), ("সোহেল", "Sohel"),
        ("ইমরান", "Imran")]
SURNAMES = [("আক্তার", "Akter"), ("বেগম", "Begum"), ("হোসেন", "Hossain"), ("রহমান", "Rahman"),
            ("ইসলাম", "Islam"), ("আহমেদ", "Ahmed"), ("খাতুন", "Khatun"), ("উদ্দিন", "Uddin"),
            ("চৌধুরী", "Chowdhury"), ("সরকার", "Sarkar"), ("দাস", "Das"), ("রায়", "Roy"), ("মিয়া", "Mia"),
            ("পাল", "Paul"), ("সাহা", "Saha"), ("মজুমদার", "Majumder")]

# kind, share of schools, Bangla suffix, English suffix
SCHOOL_KINDS = [
    (School.Kind.GOVERNMENT_PRIMARY, 60, "সরকারি প্রাথমিক বিদ্যালয়", "Government Primary School"),
    (School.Kind.REGISTERED_PRIMARY, 15, "বেসরকারি প্রাথমিক বিদ্যালয়", "Non-Government Primary School"),
    (School.Kind.SECONDARY, 12, "উচ্চ বিদ্যালয়", "High School"),
    (School.Kind.HIGHER_SECONDARY, 3, "স্কুল অ্যান্ড কলেজ", "School and College"),
    (School.Kind.MADRASA, 8, "দাখিল মাদ্রাসা", "Dakhil Madrasa"),
    (School.Kind.OTHER, 2, "কিন্ডারগার্টেন", "Kindergarten"),
]
BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


class BenchDataError(Exception):
    """Raised with a sentence that says what to do instead."""


def bench_phone(number: int) -> str:
    return f"{PHONE_PREFIX}{number:07d}"


def bench_users() -> models.QuerySet[Any]:
    return get_user_model().objects.filter(phone__startswith=PHONE_PREFIX)


def bench_schools() -> models.QuerySet[School]:
    return School.objects.filter(eiin__gte=str(EIIN_FIRST), eiin__lte=str(EIIN_LAST))


@dataclass(frozen=True)
class Plan:
    scale: float
    schools: int
    teachers: int
    upazila_officers: int
    district_officers: int
    division_officers: int

    @classmethod
    def for_scale(cls, scale: float, *, upazilas: int, districts: int, divisions: int) -> Plan:
        if not 0 < scale <= MAX_SCALE:
            raise BenchDataError(f"Choose a scale above 0 and at most {MAX_SCALE} (1.0 is the national size).")
        return cls(scale=scale, schools=max(1, round(SCHOOLS_AT_FULL_SCALE * scale)),
                   teachers=max(1, round(TEACHERS_AT_FULL_SCALE * scale)), upazila_officers=upazilas,
                   district_officers=districts, division_officers=divisions)

    @property
    def users(self) -> int:
        return self.teachers + self.schools + self.upazila_officers + self.district_officers + self.division_officers

    def expected_counts(self) -> dict[str, int]:
        return {"schools": self.schools, "users": self.users, "teachers": self.teachers}


@dataclass
class LoadReport:
    scale: float
    method: str
    skipped: bool
    fk_checks: str = "by the database"
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "method": self.method, "skipped": self.skipped,
                "fk_checks": self.fk_checks, "counts": self.counts,
                "timings_s": {k: round(v, 2) for k, v in self.timings.items()}}


# ---------------------------------------------------------------- what to generate


@dataclass(frozen=True)
class Geo:
    upazilas: list[tuple[int, str, str, int, int]]      # id, name_bn, name_en, district_id, division_id
    unions: dict[int, list[tuple[int, str, str]]]       # upazila id → [(union id, name_bn, name_en)]
    districts: list[tuple[int, int]]                    # id, division_id
    divisions: list[int]

    @classmethod
    def load(cls) -> Geo:
        from shikhon.places.models import District, Division

        unions: dict[int, list[tuple[int, str, str]]] = {}
        for uid, upazila_id, name_bn, name_en in Union.objects.order_by("code").values_list(
                "id", "upazila_id", "name_bn", "name_en"):
            unions.setdefault(upazila_id, []).append((uid, name_bn, name_en))
        return cls(
            upazilas=list(Upazila.objects.order_by("code").values_list(
                "id", "name_bn", "name_en", "district_id", "division_id")),
            unions=unions,
            districts=list(District.objects.order_by("code").values_list("id", "division_id")),
            divisions=list(Division.objects.order_by("code").values_list("id", flat=True)),
        )


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` (largest remainder), summing exactly."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [int(x) for x in exact]
    short = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)[:short]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class SchoolRow:
    eiin: str
    name_bn: str
    name_en: str
    kind: str
    upazila_id: int
    union_id: int | None
    district_id: int
    division_id: int

    @property
    def locality(self) -> str:
        """Four schools in five are rural (places.School.locality, used by the champions' shares)."""
        return str(School.Locality.URBAN if _mix(int(self.eiin)) % 100 < 20 else School.Locality.RURAL)


def plan_schools(plan: Plan, geo: Geo) -> list[SchoolRow]:
    """Schools over all upazilas, some upazilas much busier than others (log-normal), named after unions."""
    rng = random.Random(SEED)  # noqa: S311 — reproducible data, not secrets
    per_upazila = apportion(plan.schools, [rng.lognormvariate(0, 0.6) for _ in geo.upazilas])
    kinds = [str(k) for k, *_ in SCHOOL_KINDS]
    shares = [share for _, share, *_ in SCHOOL_KINDS]
    suffix = {str(k): (bn, en) for k, _, bn, en in SCHOOL_KINDS}
    rows: list[SchoolRow] = []
    for (upazila_id, up_bn, up_en, district_id, division_id), count in zip(geo.upazilas, per_upazila, strict=True):
        places: list[tuple[int | None, str, str]] = [*geo.unions.get(upazila_id, [])] or [(None, up_bn, up_en)]
        seen: dict[tuple[Any, str], int] = {}
        for _ in range(count):
            union_id, place_bn, place_en = places[rng.randrange(len(places))]
            kind = rng.choices(kinds, shares)[0]
            n = seen[(union_id, kind)] = seen.get((union_id, kind), 0) + 1
            kind_bn, kind_en = suffix[kind]
            if n == 1:
                name_bn, name_en = f"{place_bn} {kind_bn}", f"{place_en} {kind_en}"
            else:
                name_bn = f"{place_bn} {str(n).translate(BN_DIGITS)} নং {kind_bn}"
                name_en = f"{place_en} No. {n} {kind_en}"
            rows.append(SchoolRow(eiin=str(EIIN_FIRST + len(rows)), name_bn=name_bn[:200], name_en=name_en[:200],
                                  kind=kind, upazila_id=upazila_id, union_id=union_id, district_id=district_id,
                                  division_id=division_id))
    return rows


def teachers_per_school(plan: Plan) -> list[int]:
    rng = random.Random(SEED + 1)  # noqa: S311
    return apportion(plan.teachers, [rng.uniform(0.4, 1.6) for _ in range(plan.schools)])


def _mix(number: int) -> int:
    return (number * 2654435761 + 12345) % 2**32


def joined_at(number: int) -> dt.datetime:
    return EPOCH + dt.timedelta(minutes=(_mix(number) >> 4) % JOIN_WINDOW_MINUTES)


def person(number: int, designation: str) -> tuple[str, str, str, str, str, dt.datetime]:
    """phone, name_bn, name_en, gender, designation, date_joined — all derived from the number."""
    h = _mix(number)
    female = h % 100 < 65
    first_bn, first_en = (FEMALE if female else MALE)[(h >> 8) % 16]
    last_bn, last_en = SURNAMES[(h >> 16) % 16]
    return (bench_phone(number), f"{first_bn} {last_bn}", f"{first_en} {last_en}",
            "female" if female else "male", designation, joined_at(number))


def people_rows(plan: Plan) -> Iterator[tuple[str, str, str, str, str, dt.datetime]]:
    for t in range(plan.teachers):
        yield person(TEACHER_BASE + t, "সহকারী শিক্ষক")
    for s in range(plan.schools):
        yield person(HEAD_TEACHER_BASE + s, "প্রধান শিক্ষক")
    for u in range(plan.upazila_officers):
        yield person(UPAZILA_OFFICER_BASE + u, "উপজেলা শিক্ষা অফিসার")
    for d in range(plan.district_officers):
        yield person(DISTRICT_OFFICER_BASE + d, "জেলা প্রাথমিক শিক্ষা অফিসার")
    for v in range(plan.division_officers):
        yield person(DIVISION_OFFICER_BASE + v, "বিভাগীয় উপপরিচালক")


RoleRow = tuple[int, str, str, int | None, int | None, int | None, int | None, dt.date, dt.datetime]


def role_rows(plan: Plan, geo: Geo, schools: list[SchoolRow], school_ids: dict[str, int],
              user_id: Callable[[int], int]) -> Iterator[RoleRow]:
    """user_id, kind, status, school_id, upazila_id, district_id, division_id, starts_on, created_at."""
    active = str(Role.Status.ACTIVE)
    teacher, head, upazila_officer = str(Role.Kind.TEACHER), str(Role.Kind.HEAD_TEACHER), str(Role.Kind.UPAZILA_OFFICER)
    district_officer, division_officer = str(Role.Kind.DISTRICT_OFFICER), str(Role.Kind.DIVISION_OFFICER)
    joined = joined_at
    t = 0
    for s, (school, count) in enumerate(zip(schools, teachers_per_school(plan), strict=True)):
        sid = school_ids[school.eiin]
        place = (sid, school.upazila_id, school.district_id, school.division_id)
        for _ in range(count):
            when = joined(TEACHER_BASE + t)
            yield (user_id(TEACHER_BASE + t), teacher, active, *place, dhaka_date(when), when)
            t += 1
        when = joined(HEAD_TEACHER_BASE + s)
        yield (user_id(HEAD_TEACHER_BASE + s), head, active, *place, dhaka_date(when), when)
    for u, (upazila_id, _, _, district_id, division_id) in enumerate(geo.upazilas[:plan.upazila_officers]):
        when = joined(UPAZILA_OFFICER_BASE + u)
        yield (user_id(UPAZILA_OFFICER_BASE + u), upazila_officer, active, None, upazila_id, district_id,
               division_id, dhaka_date(when), when)
    for d, (district_id, division_id) in enumerate(geo.districts[:plan.district_officers]):
        when = joined(DISTRICT_OFFICER_BASE + d)
        yield (user_id(DISTRICT_OFFICER_BASE + d), district_officer, active, None, None, district_id,
               division_id, dhaka_date(when), when)
    for v, division_id in enumerate(geo.divisions[:plan.division_officers]):
        when = joined(DIVISION_OFFICER_BASE + v)
        yield (user_id(DIVISION_OFFICER_BASE + v), division_officer, active, None, None, None, division_id,
               dhaka_date(when), when)


# ---------------------------------------------------------------- counting and dropping


def current_counts() -> dict[str, int]:
    return {
        "schools": bench_schools().count(),
        "users": bench_users().count(),
        "teachers": Role.objects.filter(kind=Role.Kind.TEACHER, user__phone__startswith=PHONE_PREFIX).count(),
    }


def dataset_counts() -> dict[str, int]:
    """What the bench dataset holds now, for the report."""
    by_kind = dict(Role.objects.filter(user__phone__startswith=PHONE_PREFIX).order_by().values("kind")
                   .annotate(n=models.Count("id")).values_list("kind", "n"))
    return {
        "schools": bench_schools().count(),
        "upazilas_with_schools": bench_schools().values("upazila_id").distinct().count(),
        "people": bench_users().count(),
        **{f"roles_{kind}": n for kind, n in sorted(by_kind.items())},
        "all_users": get_user_model().objects.count(),
        "all_schools": School.objects.count(),
        "all_roles": Role.objects.count(),
        **{f"course_{name}": n for name, n in course_counts().items()},
        **{f"practice_{name}": n for name, n in _practice().practice_counts().items()},
        **({f"library_{name}": n for name, n in _library().library_counts().items()}
           if _library().is_supported() else {}),
    }


def _practice() -> Any:
    """The practice part (issue 11), imported late: it builds on this module."""
    from shikhon.demo import bench_practice

    return bench_practice


def _library() -> Any:
    """The library part (issue 12), imported late: it builds on this module."""
    from shikhon.demo import bench_library

    return bench_library


def _delete_relations(model: type[models.Model]) -> list[Any]:
    """Relations whose rows must go (or be unlinked) before rows of `model` can be deleted."""
    return [f for f in model._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many)]


def _purge(cursor: Any, model: type[models.Model], where: str, params: list[Any], depth: int = 0) -> None:
    """Delete rows of `model` matching `where`, first unlinking (SET_NULL) or deleting the rows that point at
    them, in any app — plain SQL, because Django's collector is far too slow for a million rows."""
    qn = connection.ops.quote_name
    assert model._meta.pk is not None and model._meta.pk.column is not None
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    # Identifiers are quoted names from model metadata; values are always query parameters.
    matching = f"SELECT {pk} FROM {table} WHERE {where}"  # noqa: S608
    if depth > 4:
        raise BenchDataError("The bench rows are referenced too deeply to drop them; drop the bench database.")
    for rel in _delete_relations(model):
        related = rel.related_model._meta.concrete_model
        if not related._meta.managed:
            continue
        column = qn(rel.field.column)
        related_table = qn(related._meta.db_table)
        if rel.on_delete is models.SET_NULL and rel.field.null:
            cursor.execute(f"UPDATE {related_table} SET {column} = NULL WHERE {column} IN ({matching})",  # noqa: S608
                           params)
        else:
            _purge(cursor, related, f"{column} IN ({matching})", params, depth + 1)
    cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608


def drop_bench_rows() -> None:
    qn = connection.ops.quote_name
    _practice().drop_bench_practice()  # first: unlinking millions of records from people one by one is slow
    _library().drop_bench_library()  # its contents' authors and ratings' raters are bench people
    with connection.cursor() as cursor:
        _purge(cursor, get_user_model(), f"{qn('phone')} LIKE %s", [PHONE_PREFIX + "%"])
        _purge(cursor, School, f"{qn('eiin')} >= %s AND {qn('eiin')} <= %s", [str(EIIN_FIRST), str(EIIN_LAST)])
    drop_bench_course()


# ---------------------------------------------------------------- writing


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return field


def _columns(model: type[models.Model], names: list[str]) -> list[str]:
    return [str(_concrete(model, name).column) for name in names]


SCHOOL_FIELDS = ["eiin", "name_bn", "name_en", "kind", "upazila", "union", "district", "division", "is_active",
                 "created_at", "updated_at", "locality"]
USER_FIELDS = ["phone", "name_bn", "name_en", "gender", "designation", "date_joined", "password", "is_active",
               "is_staff", "is_superuser"]
ROLE_FIELDS = ["user", "kind", "status", "school", "upazila", "district", "division", "starts_on", "created_at"]


class CopyWriter:
    """PostgreSQL: stream rows with COPY … FROM STDIN (psycopg 3)."""

    name = "copy"

    def write(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in _columns(model, fields))
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


class OrmWriter:
    """Any database: bulk_create in batches (slow; small scales only)."""

    name = "orm"

    def write(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
        attnames = [_concrete(model, name).attname for name in fields]
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(attnames, row, strict=True))))
            if len(batch) >= 2000:
                model._default_manager.bulk_create(batch)
                batch = []
        if batch:
            model._default_manager.bulk_create(batch)


RELAXED = "off during load, verified before commit"


def _relax_pg_checks() -> str:
    """Foreign-key checks are triggers that cost more than the COPY itself at a million rows. As a superuser,
    switch them off for this transaction only (the rows are made from ids read back from the same database,
    and _verify_links checks them before commit); otherwise check row by row rather than queueing millions
    of deferred checks in server memory for the commit."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
            return RELAXED
        except DatabaseError:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            return "per row"


def _verify_links() -> None:
    """Every bench role points at an existing person and, for school roles, an existing school."""
    qn = connection.ops.quote_name
    role, user, school = (qn(m._meta.db_table) for m in (Role, get_user_model(), School))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {role} r LEFT JOIN {user} u ON u.id = r.user_id "  # noqa: S608
            f"LEFT JOIN {school} s ON s.id = r.school_id "
            f"WHERE u.id IS NULL OR (r.school_id IS NOT NULL AND s.id IS NULL)")
        broken = cursor.fetchone()[0]
    if broken:
        raise BenchDataError(f"{broken} bench roles point at missing rows; nothing was saved. Run again with --reload.")


def load(*, scale: float, method: str = "auto", reload: bool = False,
         log: Callable[[str], None] = lambda _msg: None) -> LoadReport:
    """Make the bench rows match `scale`: skip when they already do, else drop them and load afresh."""
    started = time.perf_counter()
    if not 0 < scale <= MAX_SCALE:
        raise BenchDataError(f"Choose a scale above 0 and at most {MAX_SCALE} (1.0 is the national size).")
    is_pg = connection.vendor == "postgresql"
    if method == "auto":
        method = "copy" if is_pg else "orm"
    if method == "copy" and not is_pg:
        raise BenchDataError("COPY needs PostgreSQL. Set DATABASE_URL=postgres://… or use --method orm with a "
                             f"scale of at most {ORM_MAX_SCALE}.")
    if method == "orm" and scale > ORM_MAX_SCALE:
        raise BenchDataError(
            f"Scale {scale} is too big to load without PostgreSQL: the national dataset is loaded with COPY, "
            f"which {connection.vendor} does not have. Point DATABASE_URL at PostgreSQL "
            f"(e.g. postgres://postgres@127.0.0.1:5432/shikhon_bench) or use --scale {ORM_MAX_SCALE} or less.")
    geo = Geo.load()
    if not geo.upazilas:
        raise BenchDataError("The database has no upazilas. Run `manage.py migrate` first (it loads the geography).")
    plan = Plan.for_scale(scale, upazilas=len(geo.upazilas), districts=len(geo.districts),
                          divisions=len(geo.divisions))
    report = LoadReport(scale=scale, method=method, skipped=False)
    people_loaded = not reload and current_counts() == plan.expected_counts()
    course_loaded = people_loaded and course_counts()["enrolments"] == enrolment_count(plan)
    practice_loaded = course_loaded and _practice().is_loaded(plan)
    library_loaded = people_loaded and _library().is_loaded(plan)
    if people_loaded and course_loaded and practice_loaded and library_loaded:
        log(f"The bench dataset is already at scale {scale}; nothing to do (use --reload to load it again).")
        report.skipped = True
        report.timings["total"] = time.perf_counter() - started
        report.counts = dataset_counts()
        return report

    writer: CopyWriter | OrmWriter = CopyWriter() if method == "copy" else OrmWriter()
    lap = time.perf_counter()

    def tick(step: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        report.timings[step] = now - lap
        log(f"  {step}: {now - lap:.1f} s")
        lap = now

    User = get_user_model()
    if people_loaded:
        # People are there already (an older dataset without the course, the practice or the library part): add
        # what is missing only.
        parts = [*([] if course_loaded else ["the bench course"]), *([] if practice_loaded else ["the practice part"]),
                 *([] if library_loaded else ["the library part"])]
        log(f"The people are already at scale {scale}; loading {' and '.join(parts)} only.")
        with transaction.atomic():
            if is_pg:
                report.fk_checks = _relax_pg_checks()
            if not course_loaded:
                load_course(plan, geo, writer, tick, log)
            if not practice_loaded:
                _practice().load_practice(plan, geo, writer, tick, log)
            if not library_loaded:
                _library().load_library(plan, writer, tick, log)
            if report.fk_checks == RELAXED:
                _verify_course_links()
                _practice().verify_practice(plan)
                _library().verify_library(plan)
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        tick("commit")
        _vacuum_analyze(is_pg, tick, (*COURSE_TABLES, *_practice().PRACTICE_TABLES, *_library().LIBRARY_TABLES))
        report.counts = dataset_counts()
        report.timings["total"] = time.perf_counter() - started
        return report
    with transaction.atomic():
        if is_pg:
            report.fk_checks = _relax_pg_checks()
        log("Dropping earlier bench rows…")
        drop_bench_rows()
        tick("drop")
        schools = plan_schools(plan, geo)
        tick("plan_schools")
        now = dt.datetime.now(dt.UTC)
        log(f"Loading {plan.schools:,} schools…")
        writer.write(School, SCHOOL_FIELDS, (
            (s.eiin, s.name_bn, s.name_en, s.kind, s.upazila_id, s.union_id, s.district_id, s.division_id, True,
             now, now, s.locality) for s in schools))
        school_ids = dict(bench_schools().values_list("eiin", "id"))
        tick("schools")
        log(f"Loading {plan.users:,} people…")
        writer.write(User, USER_FIELDS, (
            (*row, UNUSABLE_PASSWORD, True, False, False) for row in people_rows(plan)))
        tick("users")
        ids = {int(phone[len(PHONE_PREFIX):]): pk for phone, pk in bench_users().values_list("phone", "id").iterator(
            chunk_size=20_000)}
        tick("user_ids")
        log(f"Loading {plan.users:,} roles…")
        writer.write(Role, ROLE_FIELDS, role_rows(plan, geo, schools, school_ids, ids.__getitem__))
        del ids
        tick("roles")
        load_course(plan, geo, writer, tick, log)
        _practice().load_practice(plan, geo, writer, tick, log)
        _library().load_library(plan, writer, tick, log)
        if report.fk_checks == RELAXED:
            _verify_links()
            _verify_course_links()
            _practice().verify_practice(plan)
            _library().verify_library(plan)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            tick("verify")
    tick("commit")
    _vacuum_analyze(is_pg, tick, (School, User, Role, *COURSE_TABLES, *_practice().PRACTICE_TABLES,
                                  *_library().LIBRARY_TABLES))
    report.counts = dataset_counts()
    report.timings["total"] = time.perf_counter() - started
    return report


# ---------------------------------------------------------------- the bench course (issue 4)
#
# One published course (9 modules × 4 activities, a 5-question quiz per module), 200,000 enrolments at
# full scale (the first teachers by number) with activity progress, quiz attempts for every module a
# teacher finished, and certificates for those who completed the course. Plain model creation for the
# course, COPY (or bulk_create) for the rest, like the people above. Recognisable by its slug.

BENCH_COURSE_SLUG = "bench-course"
ENROLMENTS_AT_FULL_SCALE = 200_000
COURSE_MODULES = 9
ACTIVITIES_PER_MODULE = 4
QUESTIONS_PER_QUIZ = 5
CHOICES_PER_QUESTION = 3
COMPLETED_PERCENT = 20
ENROLMENT_SALT = 7_000_000
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # = certificates.codes.ALPHABET (16 characters, 80 bits)

ENROLMENT_FIELDS = ["user", "course", "family", "school_id", "upazila_id", "district_id", "division_id",
                    "enrolled_at", "last_activity", "last_seen_at", "completed_at"]
PROGRESS_FIELDS = ["enrolment", "activity", "watched_percent", "done_at", "updated_at"]
ATTEMPT_FIELDS = ["enrolment", "quiz", "number", "question_ids", "choice_order", "started_at", "expires_at",
                  "submitted_at", "answers", "correct_count", "score_percent", "passed", "source"]
CERTIFICATE_FIELDS = ["enrolment", "user", "course", "family", "code", "holder_name_bn", "holder_name_en",
                      "school_name", "course_title", "school_id", "upazila_id", "district_id", "division_id",
                      "issued_at", "pdf", "revoke_reason", "kind", "issued_on", "hours", "venue", "eligible_for",
                      "authority_bn", "authority_en", "pdf_public_url"]


def enrolment_count(plan: Plan) -> int:
    return min(plan.teachers, max(1, round(ENROLMENTS_AT_FULL_SCALE * plan.scale)))


def bench_course() -> Any:
    return Course.objects.filter(slug=BENCH_COURSE_SLUG).order_by("-version").first()


def course_counts() -> dict[str, int]:
    course = bench_course()
    if course is None:
        return {"enrolments": 0}
    return {
        "enrolments": Enrolment.objects.filter(course=course).count(),
        "enrolments_completed": Enrolment.objects.filter(course=course, completed_at__isnull=False).count(),
        "activity_progress": ActivityProgress.objects.filter(enrolment__course=course).count(),
        "quiz_attempts": QuizAttempt.objects.filter(enrolment__course=course).count(),
        "certificates": Certificate.objects.filter(course=course).count(),
    }


def done_activities(e: int) -> int:
    """How many activities (in order) enrolment number `e` has done: a fifth finished the course; the rest
    are spread with more teachers near the start than near the end, as courses go."""
    h = _mix(ENROLMENT_SALT + e)
    total = COURSE_MODULES * ACTIVITIES_PER_MODULE
    if h % 100 < COMPLETED_PERCENT:
        return total
    return min((h >> 8) % total, (h >> 16) % total)


def certificate_code(e: int) -> str:
    digest = int.from_bytes(hashlib.sha256(f"shikhon-bench-certificate-{e}".encode()).digest()[:10], "big")
    return "".join(CODE_ALPHABET[(digest >> (5 * i)) & 31] for i in range(16))


def drop_bench_course() -> None:
    qn = connection.ops.quote_name
    _practice().drop_bench_practice()  # its records point at the course's activities
    with connection.cursor() as cursor:
        _purge(cursor, Course, f"{qn('slug')} = %s", [BENCH_COURSE_SLUG])


def _create_course() -> Any:
    """The course tree through the ORM (about 300 rows)."""
    now = dt.datetime.now(dt.UTC)
    course = Course.objects.create(
        slug=BENCH_COURSE_SLUG, title="আনন্দে গণিত শিখি (বেঞ্চ)", summary="প্রথম ও দ্বিতীয় শ্রেণির গণিত, খেলার মাধ্যমে।",
        subject="maths", grade_from=1, grade_to=2, estimated_hours=12, status=Course.Status.PUBLISHED,
        published_at=now)
    for m in range(COURSE_MODULES):
        module = Module.objects.create(course=course, position=m, title=f"মডিউল {m + 1}: সংখ্যা ও গণনা",
                                       summary="গুনে গুনে শিখি।")
        Activity.objects.bulk_create([Activity(
            module=module, position=a, title=f"কাজ {m + 1}.{a + 1}: পাথর দিয়ে গুনি",
            summary="শিশুরা হাতে-কলমে ১০ পর্যন্ত গুনতে শেখে।", materials="১০টি পাথর\nখাতা\nপেনসিল",
            steps="শিশুদের গোল করে বসান।\nপাথর গুনতে বলুন।\nজোড়ায় জোড়ায় মিলিয়ে দেখুন।",
            learner_actions="শিশুরা জোড়ায় গোনে।", try_prompt="কাল প্রথম ঘণ্টায় এটি করে দেখুন।")
            for a in range(ACTIVITIES_PER_MODULE)])
        quiz = Quiz.objects.create(module=module, pass_percent=60)
        for q in range(QUESTIONS_PER_QUIZ):
            question = Question.objects.create(quiz=quiz, position=q, kind=Question.Kind.SINGLE,
                                               text=f"প্রশ্ন {q + 1}: ৩ + {q + 1} = কত?",
                                               feedback="পাথর মিলিয়ে গুনুন।")
            Choice.objects.bulk_create([Choice(question=question, position=c, text=str(3 + q + c),
                                               is_correct=c == 1) for c in range(CHOICES_PER_QUESTION)])
    return course


@dataclass(frozen=True)
class CourseShape:
    activity_ids: list[int]                         # in course order
    quiz_ids: list[int]                             # one per module
    questions: dict[int, list[int]]                 # quiz → question ids
    choices: dict[int, list[int]]                   # question → choice ids
    correct: dict[int, int]                         # question → its correct choice

    @classmethod
    def of(cls, course: Any) -> CourseShape:
        activity_ids = list(Activity.objects.filter(module__course=course).order_by(
            "module__position", "position").values_list("id", flat=True))
        quiz_ids = list(Quiz.objects.filter(module__course=course).order_by("module__position")
                        .values_list("id", flat=True))
        questions: dict[int, list[int]] = {q: [] for q in quiz_ids}
        for qid, quiz_id in Question.objects.filter(quiz_id__in=quiz_ids).order_by("position").values_list(
                "id", "quiz_id"):
            questions[quiz_id].append(qid)
        choices: dict[int, list[int]] = {}
        correct: dict[int, int] = {}
        for cid, qid, is_correct in Choice.objects.filter(question__quiz_id__in=quiz_ids).order_by(
                "position").values_list("id", "question_id", "is_correct"):
            choices.setdefault(qid, []).append(cid)
            if is_correct:
                correct[qid] = cid
        return cls(activity_ids, quiz_ids, questions, choices, correct)

    def answers(self, quiz_id: int, right: int) -> dict[str, list[str]]:
        """The first `right` questions answered correctly, the others wrongly."""
        out = {}
        for i, qid in enumerate(self.questions[quiz_id]):
            choice = self.correct[qid] if i < right else next(c for c in self.choices[qid] if c != self.correct[qid])
            out[str(qid)] = [str(choice)]
        return out


def _teacher_places(plan: Plan, geo: Geo, count: int) -> list[tuple[int, int, int, int, str]]:
    """school id, upazila id, district id, division id and school name of the first `count` teachers."""
    schools = plan_schools(plan, geo)
    school_ids = dict(bench_schools().values_list("eiin", "id"))
    places: list[tuple[int, int, int, int, str]] = []
    for school, n in zip(schools, teachers_per_school(plan), strict=True):
        place = (school_ids[school.eiin], school.upazila_id, school.district_id, school.division_id, school.name_bn)
        places.extend([place] * n)
        if len(places) >= count:
            break
    return places[:count]


def load_course(plan: Plan, geo: Geo, writer: CopyWriter | OrmWriter,
                tick: Callable[[str], None], log: Callable[[str], None]) -> None:
    """The bench course and its enrolments, progress, attempts and certificates (drops earlier ones)."""
    drop_bench_course()
    course = _create_course()
    shape = CourseShape.of(course)
    tick("course")
    count = enrolment_count(plan)
    places = _teacher_places(plan, geo, count)
    user_ids = dict(get_user_model().objects.filter(
        phone__gte=bench_phone(TEACHER_BASE), phone__lte=bench_phone(TEACHER_BASE + count - 1)).values_list(
        "phone", "id"))
    total = len(shape.activity_ids)
    per_module = ACTIVITIES_PER_MODULE

    def enrolled_at(e: int) -> dt.datetime:
        return joined_at(TEACHER_BASE + e) + dt.timedelta(days=30 + _mix(e) % 200)

    def enrolment_rows() -> Iterator[tuple[Any, ...]]:
        for e in range(count):
            done = done_activities(e)
            start = enrolled_at(e)
            seen = start + dt.timedelta(hours=2 * done + 1)
            last = shape.activity_ids[min(done, total - 1)]
            completed = seen if done == total else None
            yield (user_ids[bench_phone(TEACHER_BASE + e)], course.pk, course.family, *places[e][:4], start, last,
                   seen, completed)

    log(f"Loading {count:,} enrolments in the bench course…")
    writer.write(Enrolment, ENROLMENT_FIELDS, enrolment_rows())
    enrolment_ids = dict(Enrolment.objects.filter(course=course).values_list("user_id", "id"))
    by_number = [enrolment_ids[user_ids[bench_phone(TEACHER_BASE + e)]] for e in range(count)]
    del enrolment_ids
    tick("enrolments")

    def progress_rows() -> Iterator[tuple[Any, ...]]:
        for e in range(count):
            done = done_activities(e)
            start = enrolled_at(e)
            for a in range(done):
                when = start + dt.timedelta(hours=2 * a + 1)
                yield (by_number[e], shape.activity_ids[a], 100, when, when)
            if done < total:  # the activity she is on: the video partly watched
                when = start + dt.timedelta(hours=2 * done + 1)
                yield (by_number[e], shape.activity_ids[done], 10 + _mix(e) % 80, None, when)

    log("Loading activity progress…")
    writer.write(ActivityProgress, PROGRESS_FIELDS, progress_rows())
    tick("activity_progress")

    as_json = isinstance(writer, CopyWriter)

    def js(value: Any) -> Any:  # COPY takes JSON as text; bulk_create takes the Python value
        return json.dumps(value) if as_json else value

    # The same for every attempt of a quiz: made (and encoded) once, not per row.
    passed_answers = {quiz: js(shape.answers(quiz, QUESTIONS_PER_QUIZ - (quiz % 2))) for quiz in shape.quiz_ids}
    failed_answers = {quiz: js(shape.answers(quiz, 2)) for quiz in shape.quiz_ids}
    choice_orders = {quiz: js({str(q): shape.choices[q] for q in shape.questions[quiz]}) for quiz in shape.quiz_ids}
    question_lists = {quiz: js(shape.questions[quiz]) for quiz in shape.quiz_ids}

    def attempt_rows() -> Iterator[tuple[Any, ...]]:
        for e in range(count):
            modules_done = done_activities(e) // per_module
            start = enrolled_at(e)
            for m in range(modules_done):
                quiz = shape.quiz_ids[m]
                when = start + dt.timedelta(hours=2 * (m + 1) * per_module)
                number = 1
                if (_mix(e + m) >> 3) % 4 == 0:  # a quarter fail once first
                    yield (by_number[e], quiz, 1, question_lists[quiz], choice_orders[quiz],
                           when - dt.timedelta(minutes=30), None, when - dt.timedelta(minutes=20),
                           failed_answers[quiz], 2, 40, False, "online")
                    number = 2
                right = QUESTIONS_PER_QUIZ - (quiz % 2)
                yield (by_number[e], quiz, number, question_lists[quiz], choice_orders[quiz],
                       when - dt.timedelta(minutes=10), None, when, passed_answers[quiz], right,
                       right * 100 // QUESTIONS_PER_QUIZ, True, "online")

    log("Loading quiz attempts…")
    writer.write(QuizAttempt, ATTEMPT_FIELDS, attempt_rows())
    tick("quiz_attempts")

    authority_bn, authority_en = certificate_authority()

    def certificate_rows() -> Iterator[tuple[Any, ...]]:
        for e in range(count):
            if done_activities(e) != total:
                continue
            number = TEACHER_BASE + e
            _phone, name_bn, name_en, *_rest = person(number, "")
            issued = enrolled_at(e) + dt.timedelta(hours=2 * total + 1)
            school_id, upazila_id, district_id, division_id, school_name = places[e]
            yield (by_number[e], user_ids[bench_phone(number)], course.pk, course.family, certificate_code(e),
                   name_bn, name_en, school_name[:255], course.title, school_id, upazila_id, district_id,
                   division_id, issued, "", "", "course", dhaka_date(issued), course.estimated_hours, "", "",
                   authority_bn, authority_en, "")

    log("Loading certificates…")
    writer.write(Certificate, CERTIFICATE_FIELDS, certificate_rows())
    tick("certificates")


COURSE_TABLES: tuple[type[models.Model], ...] = (Enrolment, ActivityProgress, QuizAttempt, Certificate)


def _vacuum_analyze(is_pg: bool, tick: Callable[[str], None], models_: tuple[type[models.Model], ...]) -> None:
    """Tidy tables and fresh planner statistics for every table (the geography too), as autovacuum would
    have left them on a server that has been up for a while: a reload leaves a million dead rows."""
    if not is_pg:
        return
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction (e.g. in tests)
            for model in models_:
                cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
        cursor.execute("ANALYZE")
    tick("vacuum_analyze")


def _verify_course_links() -> None:
    """Every bench enrolment points at an existing person and course (the rows below them were made from
    enrolment ids read back in the same transaction)."""
    qn = connection.ops.quote_name
    enrolment, user, course = (qn(m._meta.db_table) for m in (Enrolment, get_user_model(), Course))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {enrolment} e LEFT JOIN {user} u ON u.id = e.user_id "  # noqa: S608
            f"LEFT JOIN {course} c ON c.id = e.course_id WHERE u.id IS NULL OR c.id IS NULL")
        broken = cursor.fetchone()[0]
    if broken:
        raise BenchDataError(f"{broken} bench enrolments point at missing rows; nothing was saved. "
                             "Run again with --reload.")
