"""Offline packs: asking for one (who may, bad input, bounds, one at a time, placed at the officer's area, audited)
and building its zip (the static Bangla index and pages work from a folder: every link resolves inside the zip,
no script, no address into the site; the manifest's sha256 match; progress written every few contents; a rebuild
replaces the file; a missing file fails with a sentence)."""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile as Bytes
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shikhon.core.models import AuditEvent
from shikhon.library import pack_build
from shikhon.library.models import ContentFile, OfflinePack, Subject
from shikhon.library.registry_packs import PACK_REQUESTED
from shikhon.library.services import packs as services
from shikhon.library.tests.factories import ContentFactory

PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * 300
BODY = ('<h2>কী লাগবে</h2><p>কাঠি, পাথর। <a href="/library/contents/1/">সাইটের পাতা</a> '
        '<a href="https://example.org/x">বাইরের পাতা</a></p>')
HREF = re.compile(r"""(?:href|src|poster)="([^"]*)\"""")


def add_file(content: Any, *, name: str = "যোগ.pdf", data: bytes = PDF, preview: bool = True) -> ContentFile:
    """A stored PDF on the content's published version, with a stored preview picture."""
    stored = default_storage.save(f"library/test/{content.pk}.pdf", Bytes(data))
    pages = [default_storage.save(f"library/test/{content.pk}-p1.png", Bytes(PNG))] if preview else []
    return ContentFile.objects.create(
        version=content.published_version or content.latest_version, file_kind=ContentFile.FileKind.PDF,
        file=stored, original_name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        content_type="application/pdf", preview_state=ContentFile.Preview.READY if preview else "none",
        preview_pages=pages)


def published(author: Any, **kwargs: Any) -> Any:
    content = ContentFactory(author=author, published=True, **kwargs)
    content.published_version.body_html = BODY
    content.published_version.save(update_fields=["body_html"])
    return content


@pytest.fixture
def library(people, media_root):
    """Grade 1 mathematics: three published (one a model content, two with a file), a draft, a hidden one; and
    a published grade 2 Bangla content."""
    rubi = people["teacher_rubi"]
    rows = {
        "one": published(rubi, title="যোগের খেলা"),
        "two": published(rubi, title="বিয়োগের গল্প", is_model=True),
        "three": published(rubi, title="Counting to ten", language="en"),
        "draft": ContentFactory(author=rubi, title="খসড়া পাঠ"),
        "hidden": published(rubi, title="লুকানো পাঠ"),
        "bangla": published(rubi, title="বর্ণমালা", grade=2, subject=Subject.objects.get(code="bangla")),
    }
    rows["hidden"].hidden_at = timezone.now()
    rows["hidden"].save(update_fields=["hidden_at"])
    add_file(rows["one"])
    add_file(rows["two"], name="slides.pdf")
    add_file(rows["draft"])
    return rows


def request_and_build(django_capture_on_commit_callbacks: Any, actor: Any, **kwargs: Any) -> OfflinePack:
    kwargs.setdefault("title", "গণিত প্রথম শ্রেণি")
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(actor=actor, **kwargs)
    pack.refresh_from_db()
    return pack


def open_zip(pack: OfflinePack) -> zipfile.ZipFile:
    with default_storage.open(pack.file.name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def links(html: str) -> list[str]:
    return HREF.findall(html)


# ---------------------------------------------------------------- the zip


def test_officer_builds_a_pack_whose_pages_work_from_a_folder(people, library, django_capture_on_commit_callbacks):
    pack = request_and_build(django_capture_on_commit_callbacks, people["officer_hatia"], grade=1,
                             subject=Subject.objects.get(code="math"))
    assert pack.status == OfflinePack.Status.READY, pack.error
    assert (pack.progress_done, pack.progress_total) == (3, 3)
    assert pack.finished_at is not None and pack.error == ""
    with default_storage.open(pack.file.name, "rb") as handle:
        data = handle.read()
    assert pack.size == len(data) and pack.sha256 == hashlib.sha256(data).hexdigest()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    ids = {library[k].pk for k in ("one", "two", "three")}
    assert {f"contents/{pk}/index.html" for pk in ids} <= names
    for other in ("draft", "hidden", "bangla"):  # not published, hidden, another class: not in the pack
        assert f"contents/{library[other].pk}/index.html" not in names
    index = archive.read("index.html").decode()
    assert '<meta charset="utf-8">' in index and '<html lang="bn">' in index
    assert "যোগের খেলা" in index and "বিয়োগের গল্প" in index and "১" in index  # Bangla titles and digits
    for path in names:
        if not path.endswith(".html"):
            continue
        html = archive.read(path).decode()
        assert "<script" not in html.lower()
        for link in links(html):
            assert not link.startswith("/"), (path, link)  # no address into the site: nothing would open
            if link.startswith("https://example.org/"):
                continue  # the author's link to another site stays
            assert "://" not in link, (path, link)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
            assert target in names, (path, link)
    page = archive.read(f"contents/{library['one'].pk}/index.html").decode()
    assert "কী লাগবে" in page and "রুবি আক্তার" in page
    assert "সাইটের পাতা" in page and 'href="/library' not in page
    assert 'href="https://example.org/x"' in page
    assert f"files/{library['one'].published_version.files.get().pk}/" in page
    assert "previews/" in page


def test_the_manifest_lists_every_file_with_its_sha256(people, library, django_capture_on_commit_callbacks):
    pack = request_and_build(django_capture_on_commit_callbacks, people["officer_hatia"], grade=1)
    archive = open_zip(pack)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["schema"] == pack_build.MANIFEST_SCHEMA
    assert manifest["filter"] == {"grade": 1, "subject": None, "model_only": False}
    assert manifest["contents"] == 3 and manifest["built_at"]
    listed = {row["path"]: row for row in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, row in listed.items():
        data = archive.read(path)
        assert row["size"] == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
    pdfs = [path for path in listed if path.startswith("files/")]
    assert len(pdfs) == 2 and all(archive.read(p) == PDF for p in pdfs)


def test_model_contents_only(people, library, django_capture_on_commit_callbacks):
    pack = request_and_build(django_capture_on_commit_callbacks, people["national_admin_nasrin"], model_only=True)
    assert pack.status == OfflinePack.Status.READY
    names = open_zip(pack).namelist()
    assert [n for n in names if n.startswith("contents/")] == [f"contents/{library['two'].pk}/index.html"]


def test_progress_is_written_every_few_contents_not_per_file(people, library, monkeypatch):
    for n in range(4):
        add_file(published(people["teacher_rubi"], title=f"আরও পাঠ {n}"))
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    pack = OfflinePack.objects.create(title="p", grade=1, created_by=people["officer_hatia"])
    seen: list[int] = []
    real = pack_build.write_pack

    def spy(**kwargs: Any) -> Any:
        progress = kwargs["progress"]

        def record(done: int) -> None:
            progress(done)
            seen.append(OfflinePack.objects.get(pk=pack.pk).progress_done)

        return real(**{**kwargs, "progress": record})

    monkeypatch.setattr(pack_build, "write_pack", spy)
    with CaptureQueriesContext(connection) as queries:
        services.pack_build(pack.pk)
    assert seen == [2, 4, 6]  # 7 contents: after the 2nd, 4th and 6th; the last is the "ready" write
    updates = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("UPDATE") and "library_offlinepack" in q["sql"]]
    assert len(updates) == 6  # building, the total, three progress writes, ready
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.READY and pack.progress_done == pack.progress_total == 7


def test_building_again_replaces_the_file(people, library, django_capture_on_commit_callbacks):
    pack = request_and_build(django_capture_on_commit_callbacks, people["officer_hatia"], grade=1)
    first = pack.file.name
    library["three"].hidden_at = timezone.now()
    library["three"].save(update_fields=["hidden_at"])
    services.pack_build(pack.pk)
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.READY and pack.progress_total == 2
    assert pack.file.name != first and not default_storage.exists(first)
    assert default_storage.exists(pack.file.name)
    assert len([n for n in open_zip(pack).namelist() if n.startswith("contents/")]) == 2
    services.pack_build(pack.pk)  # a retry of a finished task: the same contents, one file kept
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.READY
    folder = posixpath.dirname(pack.file.name)
    assert [name for name in default_storage.listdir(folder)[1] if name.startswith(f"pack-{pack.pk}-")] == [
        posixpath.basename(pack.file.name)]
    assert services.pack_build(999999) is None


def test_a_second_run_while_a_build_holds_the_pack_builds_nothing(people, library, monkeypatch):
    """The task queued twice: the second run finds the pack held by a live build and leaves it alone; a build
    silent for STALE_AFTER (its worker died) is taken over."""
    pack = OfflinePack.objects.create(title="p", grade=1, created_by=people["officer_hatia"])
    now = timezone.now()
    OfflinePack.objects.filter(pk=pack.pk).update(status=OfflinePack.Status.BUILDING, build_token="a" * 32,
                                                  heartbeat_at=now - services.STALE_AFTER / 2)
    writes: list[int] = []
    real = pack_build.write_pack
    monkeypatch.setattr(pack_build, "write_pack", lambda **kwargs: writes.append(1) or real(**kwargs))
    again = services.pack_build(pack.pk)
    assert again is not None and again.status == OfflinePack.Status.BUILDING and again.build_token == "a" * 32
    assert writes == [] and not again.file
    OfflinePack.objects.filter(pk=pack.pk).update(heartbeat_at=now - services.STALE_AFTER * 2)
    taken = services.pack_build(pack.pk)
    assert taken is not None and taken.status == OfflinePack.Status.READY and writes == [1]
    assert taken.build_token != "a" * 32 and default_storage.exists(taken.file.name)


def test_a_build_whose_pack_was_taken_over_writes_nothing_and_removes_its_file(people, library, monkeypatch):
    pack = OfflinePack.objects.create(title="p", grade=1, created_by=people["officer_hatia"])
    real = pack_build.write_pack
    saved: list[str] = []
    real_save = default_storage.save

    def overtaken(**kwargs: Any) -> Any:
        built = real(**kwargs)
        # Meanwhile this build went silent and another took the pack over (a new token).
        OfflinePack.objects.filter(pk=pack.pk).update(build_token="b" * 32)
        return built

    def save(name: str, content: Any, *args: Any, **kwargs: Any) -> str:
        saved.append(real_save(name, content, *args, **kwargs))
        return saved[-1]

    monkeypatch.setattr(pack_build, "write_pack", overtaken)
    monkeypatch.setattr(default_storage, "save", save)
    services.pack_build(pack.pk)
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.BUILDING and pack.build_token == "b" * 32 and not pack.file
    assert len(saved) == 1 and not default_storage.exists(saved[0])


def test_a_missing_file_fails_with_a_sentence_and_keeps_the_old_zip(people, library,
                                                                    django_capture_on_commit_callbacks):
    pack = request_and_build(django_capture_on_commit_callbacks, people["officer_hatia"], grade=1)
    good = pack.file.name
    default_storage.delete(library["one"].published_version.files.get().file.name)
    services.pack_build(pack.pk)
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.FAILED
    assert "যোগের খেলা" in pack.error and "could not be read" in pack.error
    assert pack.file.name == good and default_storage.exists(good)


def test_a_pack_over_the_size_limit_fails_while_building(people, library, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 3000)  # the rows say less than the files hold
    ContentFile.objects.update(size=1)
    pack = OfflinePack.objects.create(title="p", grade=1, created_by=people["officer_hatia"])
    services.pack_build(pack.pk)
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.FAILED and "MB" in pack.error and not pack.file


# ---------------------------------------------------------------- asking for a pack


def test_the_request_is_placed_at_the_officers_area_and_audited(people, places, library):
    pack = services.pack_request(actor=people["officer_hatia"], title="  হাতিয়া  ", grade=1)
    assert (pack.upazila_id, pack.district_id, pack.division_id, pack.school_id) == (
        places["hatia"].pk, places["noakhali"].pk, places["chattagram"].pk, None)
    assert pack.status == OfflinePack.Status.QUEUED and pack.title == "হাতিয়া" and pack.progress_total == 3
    event = AuditEvent.objects.get(action=PACK_REQUESTED)
    assert event.actor == people["officer_hatia"] and event.target_id == str(pack.pk)
    district = services.pack_request(actor=people["officer_noakhali"], title="d", grade=1)
    assert (district.upazila_id, district.district_id) == (None, places["noakhali"].pk)
    national = services.pack_request(actor=people["national_admin_nasrin"], title="n", grade=1)
    assert (national.upazila_id, national.district_id, national.division_id) == (None, None, None)


def test_one_pack_at_a_time_per_officer(people, library):
    services.pack_request(actor=people["officer_hatia"], title="a", grade=1)
    with pytest.raises(ValidationError, match="still being built"):
        services.pack_request(actor=people["officer_hatia"], title="b", grade=2)
    services.pack_request(actor=people["officer_noakhali"], title="c", grade=1)  # another officer may
    assert OfflinePack.objects.count() == 2


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "researcher_tanvir",
                                 "no_role_user"])
def test_only_officers_build_packs(people, library, who):
    with pytest.raises(PermissionDenied):
        services.pack_request(actor=people[who], title="x", grade=1)
    assert not OfflinePack.objects.exists()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "Choose a class, a subject or model contents only"),
    ({"grade": 12}, "from 1 to 10"),
    ({"grade": 0}, "from 1 to 10"),
    ({"grade": 7, "subject_code": "music"}, "not taught in class 7"),
    ({"grade": 3}, "No published content matches"),
])
def test_bad_requests_are_refused_with_a_sentence(people, library, kwargs, message):
    if "subject_code" in kwargs:
        kwargs["subject"] = Subject.objects.get(code=kwargs.pop("subject_code"))
    with pytest.raises(ValidationError) as error:
        services.pack_request(actor=people["officer_hatia"], title="x", **kwargs)
    assert message in " ".join(error.value.messages)
    assert not OfflinePack.objects.exists() and not AuditEvent.objects.filter(action=PACK_REQUESTED).exists()


def test_too_many_contents_are_refused(people, library, monkeypatch):
    monkeypatch.setattr(services, "MAX_CONTENTS", 2)
    with pytest.raises(ValidationError, match="at most 2"):
        services.pack_request(actor=people["officer_hatia"], title="x", grade=1)
    monkeypatch.setattr(services, "MAX_CONTENTS", 2000)
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="MB"):
        services.pack_request(actor=people["officer_hatia"], title="x", grade=1)
    assert not OfflinePack.objects.exists()


def test_the_task_is_queued_after_commit_only(people, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack = services.pack_request(actor=people["officer_hatia"], title="x", grade=1)
    assert len(callbacks) == 1
    pack.refresh_from_db()
    assert pack.status == OfflinePack.Status.QUEUED and not pack.file


def test_body_links_into_the_site_are_dropped() -> None:
    html = pack_build.body_for_pack('<p><a href="/x/">a</a> <a href="//evil.example/">b</a> '
                                    '<img src="/media/x.png" alt="c"> <a href="https://ok.example/">d</a></p>')
    assert 'href="/' not in html and 'src="/' not in html and 'href="https://ok.example/"' in html
    assert pack_build.body_for_pack("") == ""
