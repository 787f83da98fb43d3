"""The files part's services: adding a file of each kind to her draft (checked, stored under our name with its size
and SHA-256), refusals that store nothing, who may add and remove, ten files at most, copying rows to a new version,
and the previews the task makes (PDF pages, a picture, PowerPoint through LibreOffice where it is installed)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shikhon.core.audit import AuditEvent
from shikhon.core.tests import hostile as corpus
from shikhon.core.tests.test_uploads_library import docx, macro_docx, pptx, sound
from shikhon.core.uploads import UploadRefused
from shikhon.library import previews
from shikhon.library.models import ContentFile, ContentVersion, State
from shikhon.library.registry_files import FILE_ADDED, FILE_REMOVED
from shikhon.library.services import files as services
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubi(library_people):
    return library_people["teacher_rubi"]


@pytest.fixture
def draft(rubi):
    return ContentFactory(author=rubi)


def _add(actor, content, name, data, *, run_previews=True, capture=None):
    return services.content_file_add(actor=actor, content=content, upload=SimpleUploadedFile(name, data))


def _add_and_preview(django_capture_on_commit_callbacks, actor, content, name, data):
    with django_capture_on_commit_callbacks(execute=True):
        row = _add(actor, content, name, data)
    row.refresh_from_db()
    return row


@pytest.mark.parametrize(("name", "make", "file_kind", "extension"), [
    ("পাঠ.pdf", lambda: corpus.pdf(2), ContentFile.FileKind.PDF, "pdf"),
    ("slides.pptx", pptx, ContentFile.FileKind.SLIDES, "pptx"),
    ("worksheet.docx", docx, ContentFile.FileKind.DOCUMENT, "docx"),
    ("board.png", lambda: corpus.picture("PNG"), ContentFile.FileKind.PICTURE, "png"),
    ("song.mp3", lambda: sound("mp3"), ContentFile.FileKind.AUDIO, "mp3"),
])
def test_a_good_file_is_stored_under_our_name_with_its_size_and_sha256(media_root, rubi, draft, name, make,
                                                                       file_kind, extension):
    row = _add(rubi, draft, name, make())
    assert row.version_id == draft.latest_version_id
    assert row.file_kind == file_kind
    assert row.original_name == name
    assert row.file.name.startswith("library/") and row.file.name.endswith(f".{extension}")
    assert name.rsplit(".", 1)[0] not in row.file.name
    stored = default_storage.open(row.file.name).read()
    assert row.size == len(stored)
    assert row.sha256 == hashlib.sha256(stored).hexdigest()
    assert row.preview_state == (ContentFile.Preview.NONE if file_kind == ContentFile.FileKind.AUDIO
                                 else ContentFile.Preview.PENDING)
    assert AuditEvent.objects.filter(action=FILE_ADDED).count() == 1


@pytest.mark.parametrize("case", sorted(corpus.hostile("any")))
def test_the_hostile_corpus_is_refused_and_nothing_is_stored(media_root, rubi, draft, case):
    name, data = corpus.hostile("any")[case]
    with pytest.raises(UploadRefused) as refused:
        _add(rubi, draft, name, data)
    assert len(refused.value.messages) == 1
    assert not ContentFile.objects.exists()
    assert corpus.stored_files(media_root) == []


def test_a_macro_document_is_refused(media_root, rubi, draft):
    with pytest.raises(UploadRefused) as refused:
        _add(rubi, draft, "lesson.docx", macro_docx())
    assert refused.value.code == "office_macro"
    assert corpus.stored_files(media_root) == []


@pytest.mark.parametrize("who", ["head_teacher_masuma", "mentor_hatia", "colleague_shirina", "mentor_national",
                                 "officer_hatia"])
def test_only_the_author_adds_files(media_root, library_people, draft, who):
    with pytest.raises(PermissionDenied):
        _add(library_people[who], draft, "a.pdf", corpus.pdf())
    assert corpus.stored_files(media_root) == []


@pytest.mark.parametrize("state", [State.SUBMITTED, State.UNDER_REVIEW, State.CHANGES_REQUESTED, State.PUBLISHED])
def test_files_change_only_on_a_draft(media_root, rubi, draft, state):
    ContentVersion.objects.filter(pk=draft.latest_version_id).update(state=state)
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _add(rubi, draft, "a.pdf", corpus.pdf())
    assert not services.may_change_files(rubi, draft)


def test_at_most_ten_files_a_version(media_root, rubi, draft):
    picture = corpus.picture("PNG")
    for _n in range(services.MAX_FILES):
        _add(rubi, draft, "p.png", picture)
    with pytest.raises(ValidationError) as refused:
        _add(rubi, draft, "p.png", picture)
    assert refused.value.code == "too_many_files"
    assert draft.latest_version.files.count() == services.MAX_FILES
    positions = list(draft.latest_version.files.values_list("position", flat=True))
    assert positions == list(range(1, services.MAX_FILES + 1))


def test_remove_deletes_the_bytes_unless_another_version_shares_them(media_root, rubi, draft,
                                                                     django_capture_on_commit_callbacks):
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.pdf", corpus.pdf())
    names = [row.file.name, *row.preview_pages]
    with django_capture_on_commit_callbacks(execute=True):
        services.content_file_remove(actor=rubi, file=row)
    assert not any(default_storage.exists(name) for name in names)
    assert AuditEvent.objects.filter(action=FILE_REMOVED).count() == 1

    row = _add(rubi, draft, "b.pdf", corpus.pdf())
    old = draft.latest_version
    new = ContentVersion.objects.create(content=draft, number=2, title=old.title, grade=old.grade,
                                        subject=old.subject, kind=old.kind, made_by=rubi)
    services.files_copy_to(source=old, target=new)
    ContentVersion.objects.filter(pk=old.pk).update(state=State.SUPERSEDED)
    draft.latest_version = new
    draft.save(update_fields=["latest_version"])
    copy = new.files.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.content_file_remove(actor=rubi, file=copy)
    assert default_storage.exists(row.file.name)  # version 1 still holds it


def test_remove_is_the_author_s_on_her_draft_only(media_root, library_people, rubi, draft):
    row = _add(rubi, draft, "a.pdf", corpus.pdf())
    with pytest.raises(PermissionDenied):
        services.content_file_remove(actor=library_people["mentor_hatia"], file=row)
    ContentVersion.objects.filter(pk=draft.latest_version_id).update(state=State.SUBMITTED)
    row.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.content_file_remove(actor=rubi, file=row)


def test_copy_to_copies_rows_not_bytes(media_root, rubi, draft, django_capture_on_commit_callbacks):
    first = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.pdf", corpus.pdf())
    _add(rubi, draft, "b.png", corpus.picture("PNG"))
    before = corpus.stored_files(media_root)
    old = draft.latest_version
    new = ContentVersion.objects.create(content=draft, number=2, title=old.title, grade=old.grade,
                                        subject=old.subject, kind=old.kind, made_by=rubi)
    copies = services.files_copy_to(source=old, target=new)
    assert [c.original_name for c in copies] == ["a.pdf", "b.png"]
    copied = new.files.order_by("position").first()
    assert (copied.file.name, copied.sha256, copied.size, copied.preview_pages, copied.preview_state) == (
        first.file.name, first.sha256, first.size, first.preview_pages, first.preview_state)
    assert corpus.stored_files(media_root) == before


# ---------------------------------------------------------------- previews


def _pictures(names):
    sizes = []
    for name in names:
        data = default_storage.open(name).read()
        with Image.open(io.BytesIO(data)) as opened:
            assert opened.format == "WEBP"
            sizes.append((opened.width, len(data)))
    return sizes


def test_a_pdf_gets_its_first_pages_as_small_pictures(media_root, rubi, draft, django_capture_on_commit_callbacks):
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.pdf", corpus.pdf(3))
    assert row.preview_state == ContentFile.Preview.READY
    assert len(row.preview_pages) == 3
    for width, size in _pictures(row.preview_pages):
        assert width <= previews.PREVIEW_WIDTH
        assert size < 20_000
    assert services.preview_size(row.preview_pages[0])[0] <= previews.PREVIEW_WIDTH


def test_a_long_pdf_gets_five_pages_at_most(media_root, rubi, draft, django_capture_on_commit_callbacks):
    out = io.BytesIO()
    frames = [Image.new("RGB", (200, 280), "white") for _ in range(8)]
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:])
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.pdf", out.getvalue())
    assert len(row.preview_pages) == previews.PREVIEW_PAGES


def test_a_picture_gets_a_small_copy(media_root, rubi, draft, django_capture_on_commit_callbacks):
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.jpg",
                           corpus.picture("JPEG", size=(1600, 1200)))
    assert row.preview_state == ContentFile.Preview.READY
    [(width, _size)] = _pictures(row.preview_pages)
    assert width == previews.PREVIEW_WIDTH


def test_without_libreoffice_an_office_file_has_no_preview_and_no_error(media_root, rubi, draft, monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    monkeypatch.setattr(previews, "soffice_path", lambda: None)
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "s.pptx", pptx())
    assert row.preview_state == ContentFile.Preview.NONE
    assert row.preview_pages == []


@pytest.mark.skipif(previews.soffice_path() is None, reason="LibreOffice (soffice) is not installed here")
@pytest.mark.parametrize(("name", "make"), [("s.pptx", pptx), ("w.docx", docx)])
def test_with_libreoffice_an_office_file_gets_page_pictures(media_root, rubi, draft, name, make,
                                                            django_capture_on_commit_callbacks):
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, name, make())
    assert row.preview_state == ContentFile.Preview.READY
    assert 1 <= len(row.preview_pages) <= previews.PREVIEW_PAGES
    assert all(width <= previews.PREVIEW_WIDTH for width, _size in _pictures(row.preview_pages))


def test_a_preview_that_cannot_be_made_is_marked_failed(media_root, rubi, draft, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    def broken(data, **_kwargs):
        raise previews.PreviewError("broken")

    monkeypatch.setattr(previews, "pdf_pages", broken)
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.pdf", corpus.pdf())
    assert row.preview_state == ContentFile.Preview.FAILED


def test_the_preview_task_runs_once(media_root, rubi, draft, django_capture_on_commit_callbacks):
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "a.pdf", corpus.pdf())
    pages = list(row.preview_pages)
    again = services.file_preview_make(file_id=row.pk)
    assert again.preview_pages == pages
    assert services.file_preview_make(file_id=10**9) is None


def test_a_video_goes_through_media(media_root, rubi, draft, django_capture_on_commit_callbacks):
    row = _add_and_preview(django_capture_on_commit_callbacks, rubi, draft, "lesson.mp4", corpus.video())
    assert row.file_kind == ContentFile.FileKind.VIDEO
    assert row.preview_state == ContentFile.Preview.READY
    assert row.video is not None and row.video.is_ready
    assert row.video.low and row.video.poster
