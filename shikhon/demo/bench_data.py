"""The national-scale bench dataset: teachers, schools and officers in the real 494 upazilas.

Bench rows are recognisable, so they can be dropped and reloaded without touching anything else:
people have mobile numbers +880199XXXXXXX (valid Banglalink numbers, one range per role) and
schools have EIINs from 800000 up. On PostgreSQL the rows are streamed with COPY (a million
teachers in a minute or two); elsewhere, small scales go through bulk_create.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, models, transaction

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
            yield (user_id(TEACHER_BASE + t), teacher, active, *place, when.date(), when)
            t += 1
        when = joined(HEAD_TEACHER_BASE + s)
        yield (user_id(HEAD_TEACHER_BASE + s), head, active, *place, when.date(), when)
    for u, (upazila_id, _, _, district_id, division_id) in enumerate(geo.upazilas[:plan.upazila_officers]):
        when = joined(UPAZILA_OFFICER_BASE + u)
        yield (user_id(UPAZILA_OFFICER_BASE + u), upazila_officer, active, None, upazila_id, district_id,
               division_id, when.date(), when)
    for d, (district_id, division_id) in enumerate(geo.districts[:plan.district_officers]):
        when = joined(DISTRICT_OFFICER_BASE + d)
        yield (user_id(DISTRICT_OFFICER_BASE + d), district_officer, active, None, None, district_id,
               division_id, when.date(), when)
    for v, division_id in enumerate(geo.divisions[:plan.division_officers]):
        when = joined(DIVISION_OFFICER_BASE + v)
        yield (user_id(DIVISION_OFFICER_BASE + v), division_officer, active, None, None, None, division_id,
               when.date(), when)


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
    }


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
    with connection.cursor() as cursor:
        _purge(cursor, get_user_model(), f"{qn('phone')} LIKE %s", [PHONE_PREFIX + "%"])
        _purge(cursor, School, f"{qn('eiin')} >= %s AND {qn('eiin')} <= %s", [str(EIIN_FIRST), str(EIIN_LAST)])


# ---------------------------------------------------------------- writing


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return field


def _columns(model: type[models.Model], names: list[str]) -> list[str]:
    return [str(_concrete(model, name).column) for name in names]


SCHOOL_FIELDS = ["eiin", "name_bn", "name_en", "kind", "upazila", "union", "district", "division", "is_active",
                 "created_at", "updated_at"]
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
    if not reload and current_counts() == plan.expected_counts():
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
             now, now) for s in schools))
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
        if report.fk_checks == RELAXED:
            _verify_links()
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            tick("verify")
    tick("commit")
    if is_pg:
        # Tidy tables and fresh planner statistics for every table (the geography too), as autovacuum would
        # have left them on a server that has been up for a while: a reload leaves a million dead rows.
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction (e.g. in tests)
                for model in (School, User, Role):
                    cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute("ANALYZE")
        tick("vacuum_analyze")
    report.counts = dataset_counts()
    report.timings["total"] = time.perf_counter() - started
    return report
