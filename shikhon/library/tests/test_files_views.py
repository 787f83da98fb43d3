"""The files part's pages: download and preview by role and state (a published file is public, a draft's is 404
to everyone but the author, her head teacher and the area's mentors), the author's files page (add without
JavaScript, refusals shown as the sentence, remove), the content page's panel in a bounded number of queries,
and library videos served by media."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from shikhon.core.tests import hostile as corpus
from shikhon.core.tests.test_uploads_library import macro_docx
from shikhon.library import counters, page_files
from shikhon.library.models import ContentFile, ContentVersion, State
from shikhon.library.services import files as services
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["teacher_rubi", "head_teacher_masuma", "colleague_shirina", "teacher_of_other_school", "mentor_hatia",
            "mentor_noakhali", "mentor_national", "mentor_subarnachar", "officer_hatia", "officer_other_upazila",
            "national_admin_nasrin", "researcher_tanvir", "no_role_user", "visitor"]
DRAFT_SEERS = {"teacher_rubi", "head_teacher_masuma", "mentor_hatia", "mentor_noakhali", "mentor_national"}


@pytest.fixture
def rubi(library_people):
    return library_people["teacher_rubi"]


def _client(client, library_people, who):
    if who != "visitor":
        client.force_login(library_people[who])
    return client


def _with_file(author, *, published, django_capture_on_commit_callbacks, name="পাঠ.pdf", data=None):
    content = ContentFactory(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.content_file_add(actor=author, content=content,
                                        upload=SimpleUploadedFile(name, data or corpus.pdf(2)))
    if published:
        ContentVersion.objects.filter(pk=content.latest_version_id).update(state=State.PUBLISHED)
        content.published_version_id = content.latest_version_id
        content.state = State.PUBLISHED
        content.save(update_fields=["published_version", "state"])
    row.refresh_from_db()
    return content, row


@pytest.fixture
def downloads(monkeypatch):
    counted: list[int] = []
    monkeypatch.setattr(counters, "count_download", counted.append)
    return counted


@pytest.mark.parametrize("who", EVERYONE)
def test_a_published_file_is_downloadable_by_everyone(client, media_root, library_people, rubi, who, downloads,
                                                      django_capture_on_commit_callbacks):
    content, row = _with_file(rubi, published=True,
                              django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    response = _client(client, library_people, who).get(reverse("library:file", kwargs={"pk": row.pk}))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert downloads == [content.pk]
    preview = client.get(reverse("library:file_preview", kwargs={"pk": row.pk, "page": 1}))
    assert preview.status_code == 200
    assert preview["Content-Type"] == "image/webp"
    assert preview["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", EVERYONE)
def test_a_draft_s_file_is_404_to_all_but_those_who_see_the_draft(client, media_root, library_people, rubi, who,
                                                                 downloads, django_capture_on_commit_callbacks):
    _content, row = _with_file(rubi, published=False,
                               django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    c = _client(client, library_people, who)
    response = c.get(reverse("library:file", kwargs={"pk": row.pk}))
    preview = c.get(reverse("library:file_preview", kwargs={"pk": row.pk, "page": 1}))
    expected = 200 if who in DRAFT_SEERS else 404
    assert (response.status_code, preview.status_code) == (expected, expected)
    if expected == 404:
        assert downloads == []


def test_a_newer_draft_s_file_is_404_to_readers_of_the_published_version(client, media_root, library_people, rubi,
                                                                        django_capture_on_commit_callbacks):
    content, published_file = _with_file(rubi, published=True,
                                         django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    old = content.latest_version
    new = ContentVersion.objects.create(content=content, number=2, title=old.title, grade=old.grade,
                                        subject=old.subject, kind=old.kind, made_by=rubi)
    content.latest_version = new
    content.save(update_fields=["latest_version"])
    draft_file = services.content_file_add(actor=rubi, content=content,
                                           upload=SimpleUploadedFile("b.png", corpus.picture("PNG")))
    client.force_login(library_people["colleague_shirina"])
    assert client.get(reverse("library:file", kwargs={"pk": published_file.pk})).status_code == 200
    assert client.get(reverse("library:file", kwargs={"pk": draft_file.pk})).status_code == 404


@pytest.mark.parametrize("page", [0, 3, 99])
def test_a_preview_page_that_is_not_there_is_404(client, media_root, rubi, page, django_capture_on_commit_callbacks):
    _content, row = _with_file(rubi, published=True,
                               django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert client.get(reverse("library:file_preview", kwargs={"pk": row.pk, "page": page})).status_code == 404


def test_a_missing_file_is_404(client, media_root):
    assert client.get(reverse("library:file", kwargs={"pk": 999999})).status_code == 404


# ---------------------------------------------------------------- the author's files page


def test_the_author_adds_a_file_with_a_plain_form(client, media_root, rubi):
    content = ContentFactory(author=rubi)
    client.force_login(rubi)
    url = reverse("library:files", kwargs={"pk": content.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    response = client.post(url, {"file": SimpleUploadedFile("পাঠ.pdf", corpus.pdf())})
    assert response.status_code == 302 and response["Location"] == url
    row = ContentFile.objects.get()
    assert row.version_id == content.latest_version_id
    listed = client.get(url)
    assert "পাঠ.pdf" in listed.content.decode()


@pytest.mark.parametrize(("name", "data"), [("drawing.png", corpus.SVG_SCRIPT), ("lesson.docx", macro_docx()),
                                            ("empty.pdf", b"\x00" * 10), ("song.mp3", b"ID3" + b"\x00" * 40)])
def test_a_refusal_is_shown_as_its_sentence_and_nothing_is_stored(client, media_root, rubi, name, data):
    content = ContentFactory(author=rubi)
    client.force_login(rubi)
    with translation.override("en"):
        response = client.post(reverse("library:files", kwargs={"pk": content.pk}),
                               {"file": SimpleUploadedFile(name, data)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content
    assert not ContentFile.objects.exists()
    assert corpus.stored_files(media_root) == []


def test_no_file_chosen_is_a_sentence_too(client, media_root, rubi):
    content = ContentFactory(author=rubi)
    client.force_login(rubi)
    response = client.post(reverse("library:files", kwargs={"pk": content.pk}), {})
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content


@pytest.mark.parametrize(("who", "expected"), [("colleague_shirina", 404), ("teacher_of_other_school", 404),
                                               ("officer_hatia", 404), ("head_teacher_masuma", 403),
                                               ("mentor_hatia", 403)])
def test_the_files_page_is_the_author_s(client, media_root, library_people, rubi, who, expected):
    content = ContentFactory(author=rubi)
    client.force_login(library_people[who])
    url = reverse("library:files", kwargs={"pk": content.pk})
    assert client.get(url).status_code == expected
    assert client.post(url, {"file": SimpleUploadedFile("a.pdf", corpus.pdf())}).status_code == expected
    assert not ContentFile.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, media_root, rubi):
    content = ContentFactory(author=rubi)
    response = client.get(reverse("library:files", kwargs={"pk": content.pk}))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_submitted_content_s_files_cannot_change(client, media_root, rubi, django_capture_on_commit_callbacks):
    content, row = _with_file(rubi, published=False,
                              django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    ContentVersion.objects.filter(pk=content.latest_version_id).update(state=State.SUBMITTED)
    client.force_login(rubi)
    url = reverse("library:files", kwargs={"pk": content.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"multipart" not in page.content
    assert client.post(url, {"file": SimpleUploadedFile("a.pdf", corpus.pdf())}).status_code == 403
    assert client.post(reverse("library:file_remove", kwargs={"pk": row.pk})).status_code == 403
    assert ContentFile.objects.count() == 1


def test_the_author_removes_a_file(client, media_root, library_people, rubi, django_capture_on_commit_callbacks):
    content, row = _with_file(rubi, published=False,
                              django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    url = reverse("library:file_remove", kwargs={"pk": row.pk})
    client.force_login(library_people["mentor_hatia"])
    assert client.post(url).status_code == 403
    client.force_login(library_people["colleague_shirina"])
    assert client.post(url).status_code == 404
    client.force_login(rubi)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not ContentFile.objects.exists()
    assert corpus.stored_files(media_root) == []


# ---------------------------------------------------------------- the content page's panel


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_panel_shows_the_published_version_to_readers_and_the_latest_to_the_author(
        media_root, library_people, rubi, django_capture_on_commit_callbacks):
    content, published_file = _with_file(rubi, published=True,
                                         django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    old = content.latest_version
    new = ContentVersion.objects.create(content=content, number=2, title=old.title, grade=old.grade,
                                        subject=old.subject, kind=old.kind, made_by=rubi)
    content.latest_version = new
    content.save(update_fields=["latest_version"])
    services.files_copy_to(source=old, target=new)
    services.content_file_add(actor=rubi, content=content, upload=SimpleUploadedFile("b.png", corpus.picture("PNG")))
    content.refresh_from_db()

    reader = page_files.content_page_context(_request(AnonymousUser()), content)
    assert [e.file.original_name for e in reader["library_files"]] == ["পাঠ.pdf"]
    assert reader["library_files_url"] == ""
    author = page_files.content_page_context(_request(rubi), content)
    assert [e.file.original_name for e in author["library_files"]] == ["পাঠ.pdf", "b.png"]
    assert author["library_files_url"] == reverse("library:files", kwargs={"pk": content.pk})
    mentor = page_files.content_page_context(_request(library_people["mentor_hatia"]), content)
    assert len(mentor["library_files"]) == 2


def test_the_panel_draws_previews_with_their_size_before_the_download(media_root, rubi,
                                                                      django_capture_on_commit_callbacks):
    content, row = _with_file(rubi, published=True, data=corpus.pdf(2),
                              django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    with translation.override("bn"):
        context = page_files.content_page_context(_request(AnonymousUser()), content)
        html = render_to_string("library/content_page/_files.html", context)
    first_img = html.index("<img")
    assert first_img < html.index(reverse("library:file", kwargs={"pk": row.pk}))
    assert 'loading="lazy"' in html and 'width="' in html and 'height="' in html
    assert "<details>" in html  # the second page waits behind "more pages"
    assert page_files.size_text(row.size, "bn") in html
    assert "<bdi>" in html


@pytest.mark.parametrize(("size", "bn", "en"), [(int(10.2 * 1024 * 1024), "১০.২ MB", "10.2 MB"),
                                                (850 * 1024, "৮৫০ KB", "850 KB"), (12, "১২ B", "12 B")])
def test_sizes_read_in_the_reader_s_digits(size, bn, en):
    assert page_files.size_text(size, "bn") == bn
    assert page_files.size_text(size, "en") == en


def test_the_panel_takes_a_bounded_number_of_queries(media_root, library_people, rubi, django_assert_max_num_queries,
                                                     django_capture_on_commit_callbacks):
    content = ContentFactory(author=rubi)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(services.MAX_FILES):
            services.content_file_add(actor=rubi, content=content,
                                      upload=SimpleUploadedFile(f"p{n}.png", corpus.picture("PNG")))
    ContentVersion.objects.filter(pk=content.latest_version_id).update(state=State.PUBLISHED)
    content.published_version_id = content.latest_version_id
    content.save(update_fields=["published_version"])
    content = type(content).objects.select_related("latest_version", "published_version").get(pk=content.pk)
    for user in (AnonymousUser(), rubi, library_people["mentor_hatia"]):
        request = _request(user)
        with django_assert_max_num_queries(4):
            context = page_files.content_page_context(request, content)
            html = render_to_string("library/content_page/_files.html", context)
        assert html.count("<img") == services.MAX_FILES


# ---------------------------------------------------------------- videos through media


def test_a_published_video_is_served_by_media_to_visitors_and_a_draft_s_only_to_its_seers(
        client, media_root, library_people, rubi, django_capture_on_commit_callbacks):
    content, row = _with_file(rubi, published=False, name="lesson.mp4", data=corpus.video(),
                              django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    low = reverse("media:file", kwargs={"public_id": row.video.public_id, "variant": "low.mp4"})
    assert client.get(low).status_code == 404
    client.force_login(library_people["colleague_shirina"])
    assert client.get(low).status_code == 404
    client.force_login(library_people["mentor_hatia"])
    assert client.get(low).status_code in (200, 206)
    client.logout()
    ContentVersion.objects.filter(pk=content.latest_version_id).update(state=State.PUBLISHED)
    content.published_version_id = content.latest_version_id
    content.save(update_fields=["published_version"])
    assert client.get(low).status_code in (200, 206)
    context = page_files.content_page_context(_request(AnonymousUser()), content)
    html = render_to_string("library/content_page/_files.html", context)
    assert 'preload="none"' in html and "poster=" in html
    assert html.index("low.mp4") < html.index("</video>")


def test_the_content_page_shows_the_files_panel(client, media_root, rubi, django_capture_on_commit_callbacks):
    content, row = _with_file(rubi, published=True,
                              django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    response = client.get(reverse("library:content", kwargs={"pk": content.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("library:file", kwargs={"pk": row.pk}) in html
    assert reverse("library:file_preview", kwargs={"pk": row.pk, "page": 1}) in html


def test_the_files_page_is_valid_light_and_bounded(client, media_root, rubi, django_assert_max_num_queries,
                                                   django_capture_on_commit_callbacks):
    import gzip

    from shikhon.core.tests.html_checks import html_problems

    content = ContentFactory(author=rubi)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(services.MAX_FILES - 1):
            services.content_file_add(actor=rubi, content=content,
                                      upload=SimpleUploadedFile(f"ছবি-{n}.png", corpus.picture("PNG")))
    client.force_login(rubi)
    url = reverse("library:files", kwargs={"pk": content.pk})
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert html_problems(html) == []
    assert len(gzip.compress(response.content)) <= 14 * 1024
    assert html.count("library/files/") >= services.MAX_FILES - 1
