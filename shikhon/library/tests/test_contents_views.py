"""The contents part's pages: who sees what on every page (by role and place; hidden answers 404, visitors are asked
to sign in except on a published content), the form without JavaScript (class → subject → chapter), bad input as
sentences with nothing stored, My contents and the content's page in a bounded number of queries and light."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from shikhon.library.models import Content, ContentVersion, Kind, Review, Rubric, State, Topic
from shikhon.library.services import contents as services
from shikhon.library.tests.factories import ContentFactory, subject
from shikhon.library.tests.test_contents_services import chapter, fields, publish

pytestmark = pytest.mark.django_db

EVERYONE = ["teacher_rubi", "head_teacher_masuma", "colleague_shirina", "teacher_of_other_school", "mentor_hatia",
            "mentor_noakhali", "mentor_national", "mentor_subarnachar", "officer_hatia", "officer_other_upazila",
            "officer_noakhali", "national_admin_nasrin", "researcher_tanvir", "no_role_user", "visitor"]
DRAFT_SEERS = {"teacher_rubi", "head_teacher_masuma", "mentor_hatia", "mentor_noakhali", "mentor_national"}
HIDDEN_SEERS = {"teacher_rubi", "mentor_hatia", "mentor_noakhali", "mentor_national", "officer_hatia",
                "officer_noakhali", "national_admin_nasrin"}
TEACHERS = {"teacher_rubi", "head_teacher_masuma", "colleague_shirina", "teacher_of_other_school"}


def as_(client: Client, people: dict[str, Any], who: str) -> Client:
    if who != "visitor":
        client.force_login(people[who])
    return client


def to_sign_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("people:sign_in"))


def url(name: str, content: Content | None = None) -> str:
    return reverse(f"library:{name}", kwargs={"pk": content.pk} if content is not None else None)


@pytest.fixture
def draft(library_people) -> Content:
    return services.content_create(actor=library_people["teacher_rubi"], **fields())


@pytest.fixture
def published(library_people) -> Content:
    return publish(services.content_create(actor=library_people["teacher_rubi"], **fields(title="প্রকাশিত পাঠ")))


# ---------------------------------------------------------------- the content's page: who sees it


@pytest.mark.parametrize("who", EVERYONE)
def test_draft_page(client, library_people, draft, who):
    response = as_(client, library_people, who).get(draft.get_absolute_url())
    if who in DRAFT_SEERS:
        assert response.status_code == 200
        assert "কাঠি দিয়ে যোগ" in response.content.decode()
    elif who == "visitor":
        assert to_sign_in(response)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_published_page_is_public(client, library_people, published, who):
    response = as_(client, library_people, who).get(published.get_absolute_url())
    assert response.status_code == 200
    assert "প্রকাশিত পাঠ" in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_hidden_page(client, library_people, published, who):
    Content.objects.filter(pk=published.pk).update(hidden_at=timezone.now(), hidden_reason="অনুমতি ছাড়া নকল")
    response = as_(client, library_people, who).get(published.get_absolute_url())
    if who in HIDDEN_SEERS:
        assert response.status_code == 200
        assert "অনুমতি ছাড়া নকল" in response.content.decode()
    elif who == "visitor":
        assert to_sign_in(response)
    else:
        assert response.status_code == 404


def test_a_visitor_reads_without_a_session(client, published):
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200 and "sessionid" not in response.cookies


def test_missing_content_answers_like_a_hidden_one(client, library_people):
    assert to_sign_in(client.get("/library/999999/"))
    client.force_login(library_people["teacher_rubi"])
    assert client.get("/library/999999/").status_code == 404


def test_page_shows_author_school_class_subject_topic_and_safe_body(client, library_people, places):
    content = services.content_create(actor=library_people["teacher_rubi"], **fields(
        body="# ধাপ\n\n<script>alert(1)</script> [x](javascript:alert(1)) ![a](https://evil.example/a.png)"))
    client.force_login(library_people["teacher_rubi"])
    body = client.get(content.get_absolute_url()).content.decode()
    assert "<bdi>রুবি আক্তার</bdi>" in body and places["school_hatia"].name_bn in body
    with translation.override("bn"):
        kind = str(Kind.LESSON_PLAN.label)
    assert "গণিত" in body and chapter().name_bn in body and kind in body
    assert "<h2>ধাপ</h2>" in body and "<script>alert" not in body and "evil.example" not in body
    assert body.count("<h1") == 1
    assert 'role="note"' in body  # the notice that this is not published


def test_versions_are_listed_for_those_who_see_unpublished(client, library_people, published):
    rubi = library_people["teacher_rubi"]
    services.content_update(actor=rubi, content=published, title="নতুন সংস্করণ")
    as_(client, library_people, "teacher_rubi")
    body = client.get(published.get_absolute_url()).content.decode()
    assert "নতুন সংস্করণ" in body and "?version=1" in body  # she reads her draft, can open version 1
    old = client.get(published.get_absolute_url() + "?version=1").content.decode()
    assert "প্রকাশিত পাঠ" in old
    reader = Client()
    reader.force_login(library_people["colleague_shirina"])
    seen = reader.get(published.get_absolute_url() + "?version=2").content.decode()
    assert "প্রকাশিত পাঠ" in seen and "নতুন সংস্করণ" not in seen and 'href="?version=' not in seen
    assert Client().get(published.get_absolute_url() + "?version=2").content.decode().count("নতুন সংস্করণ") == 0


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99", str(2**70)])
def test_a_wrong_version_number_is_404(client, library_people, draft, raw):
    client.force_login(library_people["teacher_rubi"])
    assert client.get(f"{draft.get_absolute_url()}?version={raw}").status_code == 404


def test_views_counted_for_readers(client, library_people, published, monkeypatch):
    counted: list[int] = []
    monkeypatch.setattr("shikhon.library.counters.count_view", counted.append)
    client.get(published.get_absolute_url())
    as_(client, library_people, "teacher_rubi").get(published.get_absolute_url())  # her own: not counted
    assert counted == [published.pk]


# ---------------------------------------------------------------- My contents


@pytest.mark.parametrize("who", EVERYONE)
def test_my_contents_page(client, library_people, draft, who):
    response = as_(client, library_people, who).get(url("mine"))
    if who == "visitor":
        assert to_sign_in(response)
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert ("কাঠি দিয়ে যোগ" in body) == (who == "teacher_rubi")  # only her own


def test_my_contents_shows_state_and_latest_feedback(client, library_people, draft):
    rubi = library_people["teacher_rubi"]
    services.content_submit(actor=rubi, content=draft)
    version = ContentVersion.objects.get(content=draft)
    ContentVersion.objects.filter(pk=version.pk).update(state=State.CHANGES_REQUESTED)
    Content.objects.filter(pk=draft.pk).update(state=State.CHANGES_REQUESTED)
    Review.objects.create(version=version, content=draft, reviewer=library_people["mentor_hatia"],
                          rubric=Rubric.objects.first(), scores={}, average=2, decision=Review.Decision.CHANGES)
    client.force_login(rubi)
    body = client.get(url("mine")).content.decode()
    assert f"{draft.get_absolute_url()}?version=1#panel-reviews" in body


def test_my_contents_queries_do_not_grow(client, library_people, django_assert_max_num_queries):
    rubi = library_people["teacher_rubi"]
    client.force_login(rubi)
    ContentFactory(author=rubi)
    client.get(url("mine"))  # warm the caches (session, scope)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url("mine")).status_code == 200
    for n in range(25):
        ContentFactory(author=rubi, published=n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("mine"))
    assert response.status_code == 200 and len(gzip.compress(response.content)) <= 14_000
    assert "?page=2" in response.content.decode()


# ---------------------------------------------------------------- the content's page: cost and weight


def test_content_page_queries_bounded_and_light(client, library_people, django_assert_max_num_queries):
    rubi = library_people["teacher_rubi"]
    content = publish(services.content_create(actor=rubi, **fields(body="## ধাপ\n\n" + "- কাঠি গুনে যোগ করা\n" * 400)))
    for n in range(8):
        services.content_update(actor=rubi, content=content, title=f"সংস্করণ {n}")
        publish(content)
    for who, limit in (("teacher_rubi", 14), ("mentor_hatia", 14), ("colleague_shirina", 12)):
        reader = Client()
        reader.force_login(library_people[who])
        reader.get(content.get_absolute_url())
        with django_assert_max_num_queries(limit):
            response = reader.get(content.get_absolute_url())
        assert response.status_code == 200 and len(gzip.compress(response.content)) <= 14_000
    with django_assert_max_num_queries(6):
        assert Client().get(content.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------- new content


@pytest.mark.parametrize("who", [*EVERYONE, "teacher_pending_zahid"])
def test_new_content_page(client, library_people, who):
    response = as_(client, library_people, who).get(url("new"))
    if who == "visitor":
        assert to_sign_in(response)
    elif who in TEACHERS:
        assert response.status_code == 200
        assert len(gzip.compress(response.content)) <= 14_000
    else:
        assert response.status_code == 403
        assert "school role" in response.content.decode() or "স্কুল" in response.content.decode()


def form_data(**over: Any) -> dict[str, Any]:
    data = {"title": "কাঠি দিয়ে যোগ", "summary": "", "grade": "1", "subject": str(subject("math").pk),
            "topic": str(chapter().pk), "kind": Kind.LESSON_PLAN, "language": "bn", "body": "## ধাপ"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_new_content_saved_as_a_draft(client, library_people):
    client.force_login(library_people["teacher_rubi"])
    response = client.post(url("new"), form_data(grade="১"))
    content = Content.objects.get()
    assert response.status_code == 302 and response["Location"] == content.get_absolute_url()
    assert content.state == State.DRAFT and content.grade == 1 and content.topic == chapter()


def test_show_the_chapters_without_javascript(client, library_people):
    client.force_login(library_people["teacher_rubi"])
    empty = client.get(url("new")).content.decode()
    assert "<optgroup" not in empty
    math = subject("math")
    response = client.post(url("new"), {"title": "যোগ", "grade": "2", "subject": str(math.pk),
                                        "show_topics": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and not Content.objects.exists()
    assert "<optgroup" in body and 'value="যোগ"' in body and "errorlist" not in body
    grade_two = Topic.objects.filter(subject=math, grade=2, parent=None).first()
    assert grade_two.name_bn in body and chapter().name_bn not in body
    prefilled = client.get(f"{url('new')}?grade=1&subject={math.pk}").content.decode()
    assert chapter().name_bn in prefilled


@pytest.mark.parametrize("over, field_words", [
    ({"title": ""}, "title"),
    ({"title": "\u202e\u2066"}, "title"),
    ({"grade": "11"}, "class"),
    ({"subject": "999999"}, "subject"),
    ({"body": "ক" * 20_001}, "20"),
    ({"kind": "novel"}, "kind"),
    ({"language": ""}, "language"),
])
def test_bad_input_on_the_form(client, library_people, over, field_words):
    client.force_login(library_people["teacher_rubi"])
    response = client.post(url("new"), form_data(**over), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Content.objects.exists()
    assert "errorlist" in response.content.decode() or 'class="msg error"' in response.content.decode()


def test_topic_of_another_subject_refused_on_the_form(client, library_people):
    client.force_login(library_people["teacher_rubi"])
    response = client.post(url("new"), form_data(topic=str(chapter("bangla", 1).pk)))
    assert response.status_code == 200 and not Content.objects.exists()
    assert "errorlist" in response.content.decode()


def test_bidi_controls_are_stripped_from_the_form(client, library_people):
    client.force_login(library_people["teacher_rubi"])
    client.post(url("new"), form_data(title="যোগ\u202eabc"))
    assert Content.objects.get().title == "যোগabc"


# ---------------------------------------------------------------- edit, submit, withdraw


EDIT_DRAFT = {"teacher_rubi": 200, "head_teacher_masuma": 403, "mentor_hatia": 403, "mentor_noakhali": 403,
              "mentor_national": 403}


@pytest.mark.parametrize("who", EVERYONE)
def test_edit_page(client, library_people, draft, who):
    response = as_(client, library_people, who).get(url("edit", draft))
    if who == "visitor":
        assert to_sign_in(response)
    else:
        assert response.status_code == EDIT_DRAFT.get(who, 404)


@pytest.mark.parametrize("who", ["colleague_shirina", "officer_hatia", "researcher_tanvir"])
def test_edit_of_a_published_content_she_may_read_is_403(client, library_people, published, who):
    assert as_(client, library_people, who).get(url("edit", published)).status_code == 403


def test_edit_a_published_content_makes_a_new_version(client, library_people, published):
    client.force_login(library_people["teacher_rubi"])
    page = client.get(url("edit", published)).content.decode()
    assert 'value="প্রকাশিত পাঠ"' in page and 'class="msg info"' in page  # "your changes become version 2"
    response = client.post(url("edit", published), form_data(title="নতুন"))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.versions.count() == 2 and published.title == "প্রকাশিত পাঠ"


def test_edit_while_waiting_offers_withdraw(client, library_people, draft):
    rubi = library_people["teacher_rubi"]
    services.content_submit(actor=rubi, content=draft)
    client.force_login(rubi)
    page = client.get(url("edit", draft)).content.decode()
    assert url("withdraw", draft) in page and 'name="title"' not in page
    client.post(url("edit", draft), form_data(title="বদল"))
    assert Content.objects.get().title == "কাঠি দিয়ে যোগ"


@pytest.mark.parametrize("who", EVERYONE)
def test_submit_and_withdraw_by_role(client, library_people, draft, who):
    client = as_(client, library_people, who)
    response = client.post(url("submit", draft))
    if who == "visitor":
        assert to_sign_in(response)
    elif who == "teacher_rubi":
        assert response.status_code == 302 and Content.objects.get().state == State.SUBMITTED
        assert client.post(url("withdraw", draft)).status_code == 302
        assert Content.objects.get().state == State.DRAFT
    else:
        assert response.status_code == (403 if who in DRAFT_SEERS else 404)
        assert client.post(url("withdraw", draft)).status_code == (403 if who in DRAFT_SEERS else 404)
        assert Content.objects.get().state == State.DRAFT


def test_submit_is_post_only_and_a_second_submit_is_a_sentence(client, library_people, draft):
    client.force_login(library_people["teacher_rubi"])
    assert client.get(url("submit", draft)).status_code == 405
    client.post(url("submit", draft))
    response = client.post(url("submit", draft), follow=True)
    assert response.status_code == 200 and 'class="msg error"' in response.content.decode()


# ---------------------------------------------------------------- valid HTML


def test_pages_have_no_html_mistakes(client, library_people, published):
    from shikhon.core.tests.html_checks import html_problems

    rubi = library_people["teacher_rubi"]
    services.content_update(actor=rubi, content=published, title="নতুন")
    client.force_login(rubi)
    pages = [url("mine"), url("new"), url("edit", published), published.get_absolute_url(),
             published.get_absolute_url() + "?version=1", f"{url('new')}?grade=1&subject={subject('math').pk}"]
    for address in pages:
        page = client.get(address).content.decode()
        assert not html_problems(page), (address, html_problems(page))
    invalid = client.post(url("new"), form_data(title="", grade="11")).content.decode()
    assert not html_problems(invalid)
