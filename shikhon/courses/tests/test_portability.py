"""Course export/import: a round trip, and every kind of bad package refused with its sentence and
nothing stored (no rows, no files)."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from PIL import Image

from shikhon.core.models import AuditEvent
from shikhon.core.tests import hostile
from shikhon.courses import portability
from shikhon.courses.models import Activity, Choice, Course, Module, Question, Quiz
from shikhon.courses.tests.factories import course_with_content
from shikhon.media.models import Video

pytestmark = pytest.mark.django_db

# Real media, made in code: every file of a package passes the upload checks on import (decision 0007).
LOW = hostile.video(seconds=1, size="160x120")
STANDARD = hostile.video(seconds=1, size="320x240")
POSTER = hostile.picture("JPEG", size=(64, 48))
CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:02.000\nপাথর গুনি\n".encode()
SHEET = hostile.pdf()
IMAGE = hostile.picture("PNG", size=(30, 20))


@pytest.fixture(autouse=True)
def _english():
    """The refusals are compared in English (the test settings load no catalogue; the numbers follow the
    active language, see test_the_place_of_a_problem_is_numbered_in_the_pages_digits)."""
    with translation.override("en"):
        yield


@pytest.fixture
def course(media_root, people):
    course = course_with_content(modules=2, activities=2, slug="anonde-gonit-shikhi",
                                 kinds=(Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE,
                                        Question.Kind.NUMERIC))
    activity = Activity.objects.filter(module__course=course).order_by("module__position", "position").first()
    video = Video(title="v", status=Video.Status.READY, duration_seconds=12.5)
    video.low.save("low.mp4", ContentFile(LOW), save=False)
    video.standard.save("standard.mp4", ContentFile(STANDARD), save=False)
    video.poster.save("poster.jpg", ContentFile(POSTER), save=False)
    video.captions.save("captions.vtt", ContentFile(CAPTIONS), save=False)
    video.save()
    activity.video = video
    activity.sheet.save("sheet.pdf", ContentFile(SHEET), save=False)
    activity.save()
    question = Question.objects.filter(quiz__module__course=course, kind=Question.Kind.SINGLE).first()
    question.image.save("q.png", ContentFile(IMAGE))
    # A processing video is not exported (only READY variants travel).
    other = Activity.objects.filter(module__course=course).exclude(pk=activity.pk).first()
    other.video = Video.objects.create(title="busy", status=Video.Status.PROCESSING)
    other.save()
    return course


def same(content: bytes) -> Any:
    """What survives a re-encoding: a picture's format and size, a PDF's page count; other files' bytes."""
    if content.startswith(b"%PDF-"):
        import pypdfium2

        with pypdfium2.PdfDocument(content) as document:
            return ("pdf", len(document))
    if content.startswith((b"\xff\xd8", b"\x89PNG")):
        picture = Image.open(io.BytesIO(content))
        return (picture.format, picture.size)
    return content


def tree(course: Course) -> list[Any]:
    """The course's content, without ids, short codes or file names (which a new server assigns)."""
    out = []
    for module in course.modules.order_by("position"):
        activities = []
        for a in module.activities.order_by("position"):
            video = None
            if a.video and a.video.status == Video.Status.READY:
                video = {v: same(getattr(a.video, v).read()) if getattr(a.video, v) else None
                         for v in ("low", "standard", "poster", "captions")}
                video["duration"] = a.video.duration_seconds
            activities.append((str(a.key), a.position, a.title, a.summary, a.materials, a.duration_minutes,
                               a.steps, a.learner_actions, a.try_prompt, video,
                               same(a.sheet.read()) if a.sheet else None))
        quiz = None
        if hasattr(module, "quiz"):
            q = module.quiz
            quiz = (q.pass_percent, q.questions_per_attempt, q.max_attempts, q.retake_wait_minutes,
                    q.time_limit_minutes, [
                        (str(x.key), x.position, x.kind, x.text, same(x.image.read()) if x.image else None,
                         x.numeric_answer, x.numeric_tolerance, x.feedback,
                         [(c.position, c.text, c.is_correct) for c in x.choices.order_by("position")])
                        for x in q.questions.order_by("position")])
        out.append((str(module.key), module.position, module.title, module.summary, activities, quiz))
    return [course.title, course.summary, course.subject, course.grade_from, course.grade_to,
            course.estimated_hours, out]


def stored(media_root: Path) -> dict[str, Any]:
    return {
        "rows": {m.__name__: m.objects.count() for m in (Course, Module, Activity, Quiz, Question, Choice, Video)},
        "files": sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()),
        "audit": AuditEvent.objects.filter(action="course_imported").count(),
    }


def repack(package: bytes, *, manifest=None, edit=None, drop=(), add=None, fix_checksums=True) -> bytes:
    """Rewrite a package: change its manifest (a function of the dict), replace/drop/add members."""
    src = zipfile.ZipFile(io.BytesIO(package))
    members = {i.filename: src.read(i) for i in src.infolist()}
    data = json.loads(members.pop("manifest.json"))
    for name in drop:
        members.pop(name)
    for name, content in (edit or {}).items():
        members[name] = content
        if fix_checksums:
            data["files"][name] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    if manifest:
        manifest(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(data, ensure_ascii=False))
        for name, content in members.items():
            z.writestr(name, content)
        for name, content in (add or {}).items():
            z.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def package(course, people) -> bytes:
    return portability.course_export(actor=people["course_author_shirin"], course=course)


# ---------------------------------------------------------------- export


def test_export_writes_manifest_and_content_addressed_media(course, package):
    z = zipfile.ZipFile(io.BytesIO(package))
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["schema"] == "shikhon.course" and manifest["schema_version"] == 1
    assert manifest["generator"] == "Shikhon" and manifest["exported_at"]
    assert manifest["course"]["slug"] == "anonde-gonit-shikhi"
    assert manifest["course"]["family"] == str(course.family)
    assert len(manifest["course"]["modules"]) == 2
    files = manifest["files"]
    # low, standard, poster, captions, sheet, image — and nothing else (no original, no processing video)
    assert len(files) == 6
    assert sorted(z.namelist()) == sorted(["manifest.json", *files])
    for name, entry in files.items():
        content = z.read(name)
        assert hashlib.sha256(content).hexdigest() == entry["sha256"] and len(content) == entry["size"]
        assert name == f"media/{entry['sha256']}.{name.rsplit('.', 1)[1]}"
    first = manifest["course"]["modules"][0]["activities"][0]
    assert first["video"]["duration_seconds"] == 12.5 and first["video"]["low"] in files
    assert first["sheet"] in files
    assert manifest["course"]["modules"][0]["activities"][1]["video"] is None
    numeric = [q for q in manifest["course"]["modules"][0]["quiz"]["questions"] if q["kind"] == "numeric"][0]
    assert numeric["numeric_answer"] == "12.000" and numeric["choices"] == []


def test_export_is_for_authors_only(course, people):
    with pytest.raises(PermissionDenied):
        portability.course_export(actor=people["teacher_rubi"], course=course)
    assert portability.course_export(actor=people["national_admin_nasrin"], course=course)


# ---------------------------------------------------------------- import: round trips


def test_round_trip_on_the_same_server_is_the_next_version(course, package, people, media_root,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = portability.course_import_detailed(actor=people["course_author_shirin"], data=package)
    imported = result.course
    assert imported.pk != course.pk
    assert imported.family == course.family and imported.version == course.version + 1
    assert imported.slug == course.slug and not result.renamed and not result.new_family
    assert imported.status == Course.Status.DRAFT and imported.created_by == people["course_author_shirin"]
    assert tree(imported) == tree(course)
    # Short codes are unique across the server: every colliding one was made anew.
    old_codes = set(Activity.objects.filter(module__course=course).values_list("short_code", flat=True))
    new_codes = set(Activity.objects.filter(module__course=imported).values_list("short_code", flat=True))
    assert not old_codes & new_codes and len(new_codes) == 4 and result.short_codes_changed == 4
    video = Activity.objects.get(module__course=imported, video__isnull=False).video
    assert video.status == Video.Status.READY and video.low_bytes == len(LOW) and video.pk is not None
    event = AuditEvent.objects.get(action="course_imported")
    assert event.target_id == str(imported.pk) and event.actor == people["course_author_shirin"]


def test_round_trip_to_a_server_without_the_course_keeps_family_and_version(course, package, people):
    family, version = course.family, course.version
    Course.objects.filter(pk=course.pk).delete()
    imported = portability.course_import(actor=people["national_admin_nasrin"], data=package)
    assert imported.family == family and imported.version == version
    assert imported.slug == "anonde-gonit-shikhi" and imported.status == Course.Status.DRAFT


def test_slug_taken_by_another_course_gets_a_suffix(course, package, people):
    other = repack(package, manifest=lambda m: m["course"].update(family=str(uuid.uuid4())))
    result = portability.course_import_detailed(actor=people["course_author_shirin"], data=other)
    assert result.renamed and result.course.slug == "anonde-gonit-shikhi-2" and result.new_family
    again = portability.course_import_detailed(
        actor=people["course_author_shirin"],
        data=repack(package, manifest=lambda m: m["course"].update(family=str(uuid.uuid4()))))
    assert again.course.slug == "anonde-gonit-shikhi-3"


def test_import_is_for_authors_only(package, people, media_root):
    before = stored(media_root)
    with pytest.raises(PermissionDenied):
        portability.course_import(actor=people["teacher_rubi"], data=package)
    assert stored(media_root) == before


# ---------------------------------------------------------------- import: refusals


def _zip(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


def _media_name(package: bytes, ext: str) -> str:
    names = [n for n in zipfile.ZipFile(io.BytesIO(package)).namelist() if n.endswith(ext)]
    return names[0]


def _flipped(package: bytes, name: str) -> bytes:
    """The member with one byte changed: same size, different checksum."""
    content = bytearray(zipfile.ZipFile(io.BytesIO(package)).read(name))
    content[-1] ^= 0xFF
    return bytes(content)


def _first_single(m: dict[str, Any]) -> dict[str, Any]:
    return [q for q in m["course"]["modules"][0]["quiz"]["questions"] if q["kind"] == "single"][0]


def _symlink_package(package: bytes) -> bytes:
    out = io.BytesIO(package)
    with zipfile.ZipFile(out, "a") as z:
        info = zipfile.ZipInfo("media/link")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    return out.getvalue()


BAD = {
    "not a zip": (lambda p: b"this is not a zip file at all",
                  "The file is not a course package"),
    "tampered checksum": (lambda p: repack(p, edit={_media_name(p, ".mp4"): _flipped(p, _media_name(p, ".mp4"))},
                                           fix_checksums=False),
                          "The package was changed after export: media/"),
    "missing file": (lambda p: repack(p, drop=[_media_name(p, ".pdf")]),
                     "is listed but missing"),
    "extra file": (lambda p: repack(p, add={"media/evil.sh": b"rm -rf /"}),
                   "The package holds a file that its manifest does not list: media/evil.sh."),
    "bad schema version": (lambda p: repack(p, manifest=lambda m: m.update(schema_version=7)),
                           "The package uses schema version 7, which this server cannot read"),
    "other schema": (lambda p: repack(p, manifest=lambda m: m.update(schema="moodle.backup")),
                     "manifest names another schema"),
    "no manifest": (lambda p: _zip({"hello.txt": b"hi"}), "The package has no manifest.json"),
    "manifest not json": (lambda p: _zip({"manifest.json": b"{not json"}), "is not valid JSON"),
    "path traversal": (lambda p: repack(p, add={"../../etc/cron.d/x": b"boom"}),
                       "The package holds a file with an unsafe name (../../etc/cron.d/x)."),
    "absolute path": (lambda p: repack(p, add={"/srv/x": b"boom"}), "unsafe name (/srv/x)"),
    "symlink": (_symlink_package, "holds a link (media/link)"),
    "duplicate name": (lambda p: _dup(p), "holds two files named"),
    "zip bomb": (lambda p: repack(p, add={"media/" + "0" * 64 + ".vtt": b"\0" * (3 * 1024 * 1024)}),
                 "is compressed suspiciously well"),
    "unknown subject": (lambda p: repack(p, manifest=lambda m: m["course"].update(subject="x")),
                        "The course in the package is not valid. Course: subject: Value 'x' is not a valid choice."),
    "title too long": (lambda p: repack(p, manifest=lambda m: m["course"]["modules"][1]["activities"][0].update(
        title="ক" * 201)), "Module 2, activity 1: title: Ensure this value has at most 200 characters"),
    "wrong type": (lambda p: repack(p, manifest=lambda m: m["course"].update(grade_from="one")),
                   "The course in the package is not valid. Course: “grade_from” has the wrong type."),
    "grades out of order": (lambda p: repack(p, manifest=lambda m: m["course"].update(grade_from=5, grade_to=2)),
                            "the last grade comes before the first grade"),
    "single with two correct": (lambda p: repack(p, manifest=lambda m: [c.update(is_correct=True)
                                                                         for c in _first_single(m)["choices"]]),
                                "must mark exactly one answer correct (this one marks 3)"),
    "numeric without answer": (lambda p: repack(p, manifest=lambda m: [
        q.update(numeric_answer=None) for q in m["course"]["modules"][0]["quiz"]["questions"]
        if q["kind"] == "numeric"]), "a number question needs its correct number"),
    "referenced file not listed": (lambda p: repack(p, manifest=lambda m: m["course"]["modules"][1]["activities"][0]
                                                    .update(sheet="media/" + "a" * 64 + ".pdf")),
                                   "The package refers to media/aaaa"),
    "bad key": (lambda p: repack(p, manifest=lambda m: m["course"]["modules"][0].update(key="nope")),
                "“key” is not a valid identifier"),
    # The manifest's shape is read by pydantic models; each problem still answers our own sentence.
    "missing field": (lambda p: repack(p, manifest=lambda m: m["course"]["modules"][1]["activities"][0].pop("steps")),
                      "The course in the package is not valid. Module 2, activity 1: “steps” is missing."),
    "true is not a number": (lambda p: repack(p, manifest=lambda m: m["course"]["modules"][0]["quiz"].update(
        pass_percent=True)), "Module 1, quiz: “pass_percent” has the wrong type."),
    "module not an object": (lambda p: repack(p, manifest=lambda m: m["course"]["modules"].append("x")),
                             "Module 3: expected an object."),
    "numeric answer a list": (lambda p: repack(p, manifest=lambda m: [
        q.update(numeric_answer=[12]) for q in m["course"]["modules"][0]["quiz"]["questions"]
        if q["kind"] == "numeric"]), "Module 1, quiz, question 4: “numeric_answer” has the wrong type."),
    "choice text a number": (lambda p: repack(p, manifest=lambda m: _first_single(m)["choices"][1].update(text=7)),
                             "Module 1, quiz, question 1, answer 2: “text” has the wrong type."),
    "files entry not an object": (lambda p: repack(p, manifest=lambda m: m["files"].update(
        {next(iter(m["files"])): "abc"})), "The package's list of files is not valid at media/"),
    "no course": (lambda p: repack(p, manifest=lambda m: m.pop("course")), "The package's manifest has no course."),
}


def _dup(package: bytes) -> bytes:
    out = io.BytesIO(package)
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "a") as z:
        z.writestr("manifest.json", b"{}")
    return out.getvalue()


@pytest.mark.parametrize("case", list(BAD))
def test_bad_packages_are_refused_and_nothing_is_stored(case, course, package, people, media_root):
    make, sentence = BAD[case]
    bad = make(package)
    before = stored(media_root)
    with pytest.raises(ValidationError) as error:
        portability.course_import(actor=people["course_author_shirin"], data=bad)
    assert sentence in " ".join(error.value.messages)
    assert stored(media_root) == before


def test_package_over_the_size_limit_is_refused(settings, package, people, media_root):
    settings.SHIKHON_COURSE_IMPORT_MAX_BYTES = 1000
    before = stored(media_root)
    with pytest.raises(ValidationError, match="limit on this server"):
        portability.course_import(actor=people["course_author_shirin"], data=package)
    assert stored(media_root) == before


def test_a_failure_while_writing_removes_the_files_already_written(course, package, people, media_root,
                                                                   monkeypatch):
    before = stored(media_root)

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(portability, "audit_record", boom)
    with pytest.raises(RuntimeError):
        portability.course_import(actor=people["course_author_shirin"], data=package)
    assert stored(media_root) == before


# ---------------------------------------------------------------- pages


def test_export_page_downloads_the_package(client, course, people):
    client.force_login(people["course_author_shirin"])
    response = client.get(reverse("transfer:export", kwargs={"pk": course.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="anonde-gonit-shikhi-v1.zip"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert json.loads(zipfile.ZipFile(io.BytesIO(body)).read("manifest.json"))["course"]["slug"] == course.slug


@pytest.mark.parametrize("who, status", [("teacher_rubi", 404), ("head_teacher_masuma", 404),
                                         ("officer_hatia", 404), ("researcher_tanvir", 404),
                                         ("course_author_shirin", 200), ("national_admin_nasrin", 200)])
def test_export_page_permissions(client, course, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("transfer:export", kwargs={"pk": course.pk})).status_code == status


@pytest.mark.parametrize("who, status", [("teacher_rubi", 404), ("officer_hatia", 404),
                                         ("course_author_shirin", 200), ("national_admin_nasrin", 200)])
def test_import_page_permissions(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("transfer:import")).status_code == status


def test_import_page_imports_and_says_what_happened(client, course, package, people):
    client.force_login(people["course_author_shirin"])
    upload = io.BytesIO(package)
    upload.name = "course.zip"
    response = client.post(reverse("transfer:import"), {"package": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "was imported as version" in text and "activities got new short codes" in text
    assert Course.objects.filter(family=course.family, version=2, status=Course.Status.DRAFT).exists()


def test_import_page_shows_the_refusal(client, course, package, people, media_root):
    client.force_login(people["course_author_shirin"])
    before = stored(media_root)
    upload = io.BytesIO(BAD["tampered checksum"][0](package))
    upload.name = "course.zip"
    response = client.post(reverse("transfer:import"), {"package": upload})
    assert response.status_code == 400
    assert "does not match its checksum" in response.content.decode(), response.content.decode()[-1500:]
    assert stored(media_root) == before


def test_teacher_cannot_post_an_import(client, package, people, media_root):
    client.force_login(people["teacher_rubi"])
    upload = io.BytesIO(package)
    upload.name = "course.zip"
    before = stored(media_root)
    # 404 like every other authoring page for a person who may not author (hidden is missing).
    assert client.get(reverse("transfer:import")).status_code == 404
    assert client.post(reverse("transfer:import"), {"package": upload}).status_code == 404
    assert stored(media_root) == before


# ---------------------------------------------------------------- commands


def test_commands_export_and_import(course, people, tmp_path):
    target = tmp_path / "out.zip"
    out = io.StringIO()
    call_command("course_export", "anonde-gonit-shikhi", "--version", "1", "-o", str(target), stdout=out)
    assert "Exported anonde-gonit-shikhi version 1" in out.getvalue() and target.exists()
    out = io.StringIO()
    call_command("course_import", str(target), "--actor", "01711-000016", stdout=out)
    assert "as version 2" in out.getvalue()
    assert Course.objects.filter(family=course.family).count() == 2


def test_import_command_refuses_with_the_sentence(course, people, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match="not a course package"):
        call_command("course_import", str(bad), "--actor", "+8801711000016")
    with pytest.raises(CommandError, match="not a course author"):
        call_command("course_import", str(bad), "--actor", "+8801711000007")


# ---------------------------------------------------------------- import: media pass the upload checks


def _member_for(package: bytes, role: str) -> str:
    """The package name of the file the first activity (or the single question) uses for `role`."""
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("manifest.json"))
    first = manifest["course"]["modules"][0]["activities"][0]
    if role == "image":
        return _first_single(manifest)["image"] or next(
            q["image"] for m in manifest["course"]["modules"] for q in m["quiz"]["questions"] if q["image"])
    return first["sheet"] if role == "sheet" else first["video"][role]


# role in the package → the corpus kind of the upload place it stands for
ROLES = {"sheet": "sheet", "poster": "picture", "image": "picture", "low": "video", "captions": "captions"}


@pytest.mark.parametrize(("role", "case"), [(role, case) for role, kind in ROLES.items()
                                            for case in hostile.hostile(kind) if case != "empty"])
def test_hostile_media_in_a_package_is_refused_and_nothing_is_stored(role, case, course, package, people,
                                                                     media_root):
    _name, content = hostile.hostile(ROLES[role])[case]
    bad = repack(package, edit={_member_for(package, role): content})
    before = stored(media_root)
    with pytest.raises(ValidationError) as error:
        portability.course_import(actor=people["course_author_shirin"], data=bad)
    sentence = " ".join(error.value.messages)
    assert sentence.startswith("The course in the package is not valid.") and "%(" not in sentence
    assert stored(media_root) == before


def test_the_place_of_a_problem_is_numbered_in_the_pages_digits(course, package, people):
    """On a Bangla page "Module ১, activity ১" (the words come from the catalogue, absent in tests)."""
    markup_sheet = repack(package, edit={_member_for(package, "sheet"): b"%PDF-1.4\n" + hostile.HTML})
    for language, where in (("bn", "১, activity ১"), ("en", "Module 1, activity 1, sheet")):
        with translation.override(language), pytest.raises(ValidationError) as error:
            portability.course_import(actor=people["course_author_shirin"], data=markup_sheet)
        assert where in error.value.messages[0]
    too_long = repack(package, manifest=lambda m: m["course"]["modules"][1]["activities"][0].update(
        title="ক" * 250))
    with translation.override("bn"), pytest.raises(ValidationError) as error:
        portability.course_import(actor=people["course_author_shirin"], data=too_long)
    assert "২০০" in error.value.messages[0] and "২৫০" in error.value.messages[0]


def test_the_issues_three_packages_are_refused(course, package, people, media_root):
    """Markup as a sheet "PDF", an SVG with script as a video poster: refused, nothing stored."""
    before = stored(media_root)
    markup_sheet = repack(package, edit={_member_for(package, "sheet"): b"%PDF-1.4\n" + hostile.HTML})
    svg_poster = repack(package, edit={_member_for(package, "poster"): hostile.SVG_SCRIPT})
    for bad, where in ((markup_sheet, "activity 1, sheet"), (svg_poster, "video, poster")):
        with pytest.raises(ValidationError) as error:
            portability.course_import(actor=people["course_author_shirin"], data=bad)
        assert where in error.value.messages[0]
    assert stored(media_root) == before


def test_a_polyglot_question_picture_is_stored_re_encoded_under_our_name(course, package, people, media_root):
    member = _member_for(package, "image")
    polyglot = hostile.picture("PNG", size=(30, 20)) + hostile.zip_of({"x.html": hostile.HTML})
    imported = portability.course_import(actor=people["course_author_shirin"],
                                         data=repack(package, edit={member: polyglot}))
    question = Question.objects.get(quiz__module__course=imported, image__gt="")
    content = question.image.read()
    assert Image.open(io.BytesIO(content)).size == (30, 20)
    assert b"PK\x03\x04" not in content and b"<script" not in content
    assert question.image.name.endswith(".png") and member.rsplit("/", 1)[1] not in question.image.name


def test_a_sheet_named_pdf_that_is_a_picture_is_stored_as_a_picture(course, package, people):
    member = _member_for(package, "sheet")
    imported = portability.course_import(actor=people["course_author_shirin"],
                                         data=repack(package, edit={member: hostile.picture("JPEG")}))
    activity = Activity.objects.filter(module__course=imported).exclude(sheet="").get()
    assert activity.sheet.name.endswith(".jpg")


def test_the_package_is_opened_once(package, people, monkeypatch):
    """The shared upload check opens the package and answers it open; the import reads that (no second
    opening of the same zip)."""
    opened = []
    real = zipfile.ZipFile

    class Counting(real):
        def __init__(self, file, *args, **kwargs):
            if kwargs.get("mode", args[0] if args else "r") == "r":
                opened.append(file)
            super().__init__(file, *args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", Counting)
    portability.course_import(actor=people["course_author_shirin"], data=package)
    assert len(opened) == 1


def test_an_integer_duration_is_a_number(course, package, people):
    def whole_seconds(m):
        m["course"]["modules"][0]["activities"][0]["video"]["duration_seconds"] = 12
    imported = portability.course_import(actor=people["course_author_shirin"], data=repack(package,
                                                                                           manifest=whole_seconds))
    video = Activity.objects.get(module__course=imported, video__isnull=False).video
    assert video.duration_seconds == 12 and video.is_ready and video.low_kbps
