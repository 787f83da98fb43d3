"""The library's API (routers/library.py) by role and place: search and a content's page (public when published; a
draft for its author, her head teacher and the mentors of her area, 404 for everyone else), making and editing a
content, files through the shared upload checks, reviews, ratings, comments, reports and model contents. Bad input
answers the error shape with the service's sentence (never a 500), nothing stored; lists are bounded in queries.
Every answer is checked against the OpenAPI document (conftest.ApiClient)."""

# ruff: noqa: F811 - library_people is a fixture imported from the library's conftest
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.core.tests import hostile as corpus
from shikhon.library.models import Comment, Content, ContentFile, ContentVersion, Rating, Report, Review, State
from shikhon.library.tests.conftest import library_people  # noqa: F401 - a fixture
from shikhon.library.tests.factories import ContentFactory, subject

pytestmark = pytest.mark.django_db

SCORES = {"curriculum_fit": 4, "accuracy": 3, "pedagogy": 3, "media": 2, "accessibility": 4}
ROLES = ("teacher_rubi", "colleague_shirina", "head_teacher_masuma", "teacher_of_other_school", "mentor_hatia",
         "mentor_subarnachar", "officer_hatia", "researcher_tanvir")


@pytest.fixture
def as_(client, library_people, token_of):
    """`as_("mentor_hatia")`: an API client with her token; `as_(None)`: a visitor."""
    def make(who: str | None) -> ApiClient:
        return ApiClient(client, token_of(library_people[who]) if who else None)

    return make


@pytest.fixture
def rubi(library_people):
    return library_people["teacher_rubi"]


@pytest.fixture
def draft(rubi):
    return ContentFactory(author=rubi, title="ভগ্নাংশের খসড়া")


@pytest.fixture
def published(rubi):
    return ContentFactory(author=rubi, title="যোগের খেলা কাঠি দিয়ে", published=True)


def _submitted(content: Content) -> Content:
    version = content.latest_version
    version.state, version.submitted_at = State.SUBMITTED, timezone.now()
    version.save()
    content.state = State.SUBMITTED
    content.save()
    return content


def _body(**overrides):
    return {"title": "গুণের নামতা গান", "summary": "গান গেয়ে নামতা", "body": "## ধাপ\n\nগাও।", "grade": 3,
            "subject": subject("math").pk, "kind": "lesson_plan", "language": "bn", **overrides}


# ------------------------------------------------------------------------------------------------ search


def test_search_is_public_and_finds_only_published_contents(as_, published, draft):
    body = as_(None).get("/library/contents").json()
    assert [c["id"] for c in body["items"]] == [published.pk]
    card = body["items"][0]
    assert card["author"]["name_bn"] == "রুবি আক্তার" and card["subject"]["code"] == "math"
    assert card["published_at"].endswith("+06:00")  # Dhaka time
    assert body["has_next"] is False and body["capped"] is False


def test_search_filters_and_words(as_, published, library_people):
    ContentFactory(author=library_people["teacher_subarnachar"], published=True, title="English rhymes", grade=2)
    assert [c["id"] for c in as_(None).get("/library/contents", {"grade": 1}).json()["items"]] == [published.pk]
    hatia = as_(None).get("/library/contents", {"upazila": published.upazila_id}).json()["items"]
    assert [c["id"] for c in hatia] == [published.pk]
    assert as_(None).get("/library/contents", {"model": "true"}).json()["items"] == []
    assert as_(None).get("/library/contents", {"kind": "video"}).json()["items"] == []
    page = as_(None).get("/library/contents", {"limit": 1, "sort": "newest"}).json()
    assert len(page["items"]) == 1 and page["has_next"] is True


@pytest.mark.parametrize("params", [{"grade": 11}, {"grade": "x"}, {"sort": "loudest"}, {"kind": "poem"},
                                    {"limit": 51}, {"page": 0}, {"q": "ক\x00খ"}, {"subject": -1}])
def test_search_bad_input_is_422_with_the_field(as_, db, params):
    error = assert_error(as_(None).get("/library/contents", params), 422, "invalid")
    assert error["details"]["fields"]


def test_search_queries_are_bounded(as_, rubi, django_assert_max_num_queries):
    for _n in range(25):
        ContentFactory(author=rubi, published=True)
    with django_assert_max_num_queries(3):
        body = as_(None).get("/library/contents", {"limit": 50}).json()
    assert len(body["items"]) == 25


# ------------------------------------------------------------------------------------------------ one content


@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("teacher_rubi", True), ("colleague_shirina", False), ("head_teacher_masuma", True),
    ("teacher_of_other_school", False), ("mentor_hatia", True), ("mentor_subarnachar", False),
    ("officer_hatia", False), ("researcher_tanvir", False), ("mentor_noakhali", True), ("mentor_national", True),
])
def test_a_draft_is_seen_by_its_author_head_teacher_and_area_mentors_only(as_, draft, who, sees):
    response = as_(who).get(f"/library/contents/{draft.pk}")
    if sees:
        body = response.json()
        assert response.status_code == 200 and body["state"] == "draft" and body["version"]["number"] == 1
        assert body["may_edit"] is (who == "teacher_rubi")
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("who", [None, *ROLES])
def test_a_published_content_is_public(as_, published, who):
    body = as_(who).get(f"/library/contents/{published.pk}").json()
    assert body["id"] == published.pk and body["version"]["state"] == "published"
    assert body["my_rating"] is None


@pytest.mark.parametrize("who", ["colleague_shirina", "officer_other_upazila", "mentor_subarnachar", None])
def test_a_hidden_content_is_404_but_for_its_author_and_the_areas_moderators(as_, published, who):
    Content.objects.filter(pk=published.pk).update(hidden_at=timezone.now())
    assert_error(as_(who).get(f"/library/contents/{published.pk}"), 404, "not_found")
    for moderator in ("teacher_rubi", "officer_hatia", "mentor_hatia"):
        assert as_(moderator).get(f"/library/contents/{published.pk}").json()["is_hidden"] is True


@pytest.mark.parametrize("bad", ["0", "abc", str(2**63)])
def test_a_bad_id_is_never_a_server_error(as_, db, bad):
    assert as_(None).get(f"/library/contents/{bad}").status_code in (404, 422)


# ------------------------------------------------------------------------------------------------ create, edit


def test_a_teacher_makes_a_draft(as_, rubi):
    response = as_("teacher_rubi").post("/library/contents", _body())
    assert response.status_code == 201, response.content
    body = response.json()
    content = Content.objects.get(pk=body["id"])
    assert content.author == rubi and content.state == State.DRAFT and body["version"]["body_html"]
    assert body["url"] == content.get_absolute_url()


@pytest.mark.parametrize("who", ["officer_hatia", "mentor_hatia", "researcher_tanvir", "teacher_pending_zahid"])
def test_only_teachers_with_a_school_make_contents(as_, who):
    assert_error(as_(who).post("/library/contents", _body()), 403, "forbidden")
    assert not Content.objects.exists()


def test_a_visitor_is_asked_to_sign_in(as_, db):
    assert_error(as_(None).post("/library/contents", _body()), 401, "not_authenticated")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": ""}, "title"), ({"title": "ক" * 201}, "title"), ({"grade": 12}, "grade"), ({"kind": "poem"}, "kind"),
    ({"language": "fr"}, "language"), ({"subject": 999_999}, "subject"), ({"topic": 999_999}, "topic"),
    ({"body": "ক" * 20_001}, "body"),
])
def test_bad_fields_are_sentences_and_nothing_is_stored(as_, rubi, overrides, field):
    error = assert_error(as_("teacher_rubi").post("/library/contents", _body(**overrides)), 400, "bad_request")
    assert field in error["details"]["fields"]
    assert all(m.endswith((".", "”.")) for m in error["details"]["fields"][field])
    assert not Content.objects.exists()


def test_an_unknown_field_is_422(as_, rubi):
    assert_error(as_("teacher_rubi").post("/library/contents", _body(author=5)), 422, "invalid")


def test_she_edits_and_submits_her_draft_then_it_waits(as_, draft):
    api = as_("teacher_rubi")
    body = api.request("patch", f"/library/contents/{draft.pk}", data='{"title": "নতুন নাম"}',
                       content_type="application/json").json()
    assert body["title"] == "নতুন নাম"
    assert api.post(f"/library/contents/{draft.pk}/submit").json()["state"] == "submitted"
    error = assert_error(api.post(f"/library/contents/{draft.pk}/submit"), 409, "conflict")
    assert error["details"]["reason"] == "already_submitted"
    error = assert_error(api.request("patch", f"/library/contents/{draft.pk}", data='{"title": "আবার"}',
                                     content_type="application/json"), 409, "conflict")
    assert error["details"]["reason"] == "waiting_for_review"
    assert api.post(f"/library/contents/{draft.pk}/withdraw").json()["state"] == "draft"


@pytest.mark.parametrize(("who", "status"), [("head_teacher_masuma", 403), ("mentor_hatia", 403),
                                             ("colleague_shirina", 404), ("mentor_subarnachar", 404)])
def test_only_the_author_edits(as_, draft, who, status):
    api = as_(who)
    assert api.request("patch", f"/library/contents/{draft.pk}", data='{"title": "x"}',
                       content_type="application/json").status_code == status
    assert api.post(f"/library/contents/{draft.pk}/submit").status_code == status
    draft.refresh_from_db()
    assert draft.title == "ভগ্নাংশের খসড়া" and draft.state == State.DRAFT


# ------------------------------------------------------------------------------------------------ files


def test_she_uploads_a_pdf_to_her_draft_and_lists_it(as_, draft, media_root):
    api = as_("teacher_rubi")
    response = _upload(api, draft, "পাঠ.pdf", corpus.pdf(2))
    assert response.status_code == 201, response.content
    assert response.json()["file_kind"] == "pdf" and len(response.json()["sha256"]) == 64
    listed = api.get(f"/library/contents/{draft.pk}/files").json()
    assert [f["id"] for f in listed["items"]] == [response.json()["id"]] and listed["version"] == 1
    assert_error(as_(None).get(f"/library/contents/{draft.pk}/files"), 404, "not_found")


def _upload(api: ApiClient, content: Content, name: str, data: bytes):
    response = api.client.post(f"/api/v1/library/contents/{content.pk}/files", {"file": SimpleUploadedFile(name,
                                                                                                          data)},
                               HTTP_AUTHORIZATION=f"Bearer {api.token}")
    return api._checked(response)


@pytest.mark.parametrize(("name", "data"), [("drawing.png", corpus.SVG_SCRIPT), ("lesson.pdf", b"MZ\x90\x00" * 50),
                                            ("bomb.docx", corpus.zip_bomb())])
def test_a_hostile_file_is_refused_with_a_sentence_and_nothing_stored(as_, draft, media_root, name, data):
    error = assert_error(_upload(as_("teacher_rubi"), draft, name, data), 400, "bad_request")
    assert error["details"]["reason"] and len(error["message"]) > 20
    assert not ContentFile.objects.exists()
    assert corpus.stored_files(media_root) == []


@pytest.mark.parametrize(("who", "status"), [("mentor_hatia", 403), ("colleague_shirina", 404)])
def test_only_the_author_uploads(as_, draft, media_root, who, status):
    assert _upload(as_(who), draft, "a.pdf", corpus.pdf()).status_code == status
    assert not ContentFile.objects.exists()


def test_an_upload_without_a_file_is_422(as_, draft):
    api = as_("teacher_rubi")
    response = api._checked(api.client.post(f"/api/v1/library/contents/{draft.pk}/files", {},
                                            HTTP_AUTHORIZATION=f"Bearer {api.token}"))
    assert_error(response, 422, "invalid")


# ------------------------------------------------------------------------------------------------ curriculum


def test_the_curriculum_is_public(as_, db):
    subjects = as_(None).get("/library/subjects").json()["items"]
    math = next(s for s in subjects if s["code"] == "math")
    assert math["name_bn"] and math["grade_from"] <= 1
    tree = as_(None).get(f"/library/subjects/{math['id']}/topics", {"grade": 1}).json()
    assert tree["subject"]["id"] == math["id"] and tree["grade"] == 1
    assert len(as_(None).get("/library/subjects", {"grade": 1}).json()["items"]) <= len(subjects)
    assert_error(as_(None).get("/library/subjects/999999/topics", {"grade": 1}), 404, "not_found")
    assert_error(as_(None).get(f"/library/subjects/{math['id']}/topics", {"grade": 0}), 422, "invalid")


# ------------------------------------------------------------------------------------------------ reviews


def test_the_rubric_is_public(as_, db):
    body = as_(None).get("/library/reviews/rubric").json()
    assert {c["key"] for c in body["criteria"]} == set(SCORES)
    assert all([level["score"] for level in c["levels"]] == [1, 2, 3, 4] for c in body["criteria"])


@pytest.mark.parametrize(("who", "count"), [("mentor_hatia", 1), ("mentor_noakhali", 1), ("mentor_subarnachar", 0),
                                            ("teacher_rubi", 0), ("officer_hatia", 0), ("researcher_tanvir", 0)])
def test_the_queue_holds_her_areas_waiting_contents(as_, draft, who, count, django_assert_max_num_queries):
    _submitted(draft)
    for _n in range(5):
        _submitted(ContentFactory(author=draft.author))
    ContentFactory(author=draft.author)  # a draft: not in the queue
    api = as_(who)
    with django_assert_max_num_queries(12):  # the token and her roles, then the count and one page: not per row
        body = api.get("/library/reviews/queue").json()
    assert body["count"] == count * 6
    if count:
        assert body["items"][0]["content"]["id"] == draft.pk and body["items"][0]["state"] == "submitted"


def test_a_mentor_reviews_and_publishes(as_, draft):
    _submitted(draft)
    api = as_("mentor_hatia")
    assert api.post(f"/library/contents/{draft.pk}/review/start").json()["state"] == "under_review"
    response = api.post(f"/library/contents/{draft.pk}/reviews", {"scores": SCORES, "decision": "publish"})
    assert response.status_code == 201, response.content
    assert response.json()["average"] == 3.2 and response.json()["decision"] == "publish"
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.published_version_id
    error = assert_error(api.post(f"/library/contents/{draft.pk}/reviews", {"scores": SCORES,
                                                                            "decision": "publish"}), 409, "conflict")
    assert error["details"]["reason"] == "not_waiting"
    reviews = as_("teacher_rubi").get(f"/library/contents/{draft.pk}/reviews").json()["items"]
    assert [r["id"] for r in reviews] == [response.json()["id"]]
    assert_error(as_("colleague_shirina").get(f"/library/contents/{draft.pk}/reviews"), 404, "not_found")


def test_every_review_of_a_content_is_listed_newest_first(as_, draft, library_people,
                                                          django_assert_max_num_queries):
    from shikhon.library.services import contents as content_services

    _submitted(draft)
    mentor, rubi = as_("mentor_hatia"), library_people["teacher_rubi"]
    mentor.post(f"/library/contents/{draft.pk}/review/start")
    first = mentor.post(f"/library/contents/{draft.pk}/reviews", {
        "scores": SCORES, "decision": "changes", "feedback": "ছবিগুলো বড় করুন।"}).json()
    draft.refresh_from_db()
    content_services.content_update(actor=rubi, content=draft, summary="ছবি বড় করা হলো।")
    content_services.content_submit(actor=rubi, content=draft)
    mentor.post(f"/library/contents/{draft.pk}/review/start")
    second = mentor.post(f"/library/contents/{draft.pk}/reviews", {"scores": SCORES, "decision": "publish"}).json()
    api = as_("teacher_rubi")
    with django_assert_max_num_queries(10):  # her token and roles, the content, the reviews: not per review
        reviews = api.get(f"/library/contents/{draft.pk}/reviews").json()["items"]
    assert [(r["id"], r["version"], r["decision"]) for r in reviews] == [
        (second["id"], 2, "publish"), (first["id"], 1, "changes")]
    assert reviews[1]["feedback"] == "ছবিগুলো বড় করুন।"


@pytest.mark.parametrize(("payload", "field"), [
    ({"scores": {**SCORES, "accuracy": 5}, "decision": "publish"}, "score_accuracy"),
    ({"scores": {"accuracy": 3}, "decision": "publish"}, "score_curriculum_fit"),
    ({"scores": SCORES, "decision": "changes"}, "feedback"),
    ({"scores": SCORES, "decision": "maybe"}, "decision"),
])
def test_bad_reviews_are_sentences_and_store_nothing(as_, draft, payload, field):
    _submitted(draft)
    error = assert_error(as_("mentor_hatia").post(f"/library/contents/{draft.pk}/reviews", payload), 400,
                         "bad_request")
    assert field in error["details"]["fields"]
    assert not Review.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("mentor_subarnachar", 404), ("teacher_of_other_school", 404),
                                             ("head_teacher_masuma", 403), ("teacher_rubi", 403)])
def test_only_the_areas_mentors_review(as_, draft, who, status):
    _submitted(draft)
    assert as_(who).post(f"/library/contents/{draft.pk}/review/start").status_code == status
    assert as_(who).post(f"/library/contents/{draft.pk}/reviews",
                         {"scores": SCORES, "decision": "publish"}).status_code == status
    assert ContentVersion.objects.get(pk=draft.latest_version_id).state == State.SUBMITTED


# ------------------------------------------------------------------------------------------------ ratings, comments


def test_a_colleague_rates_changes_and_removes(as_, published):
    api = as_("teacher_of_other_school")
    body = api.request("put", f"/library/contents/{published.pk}/rating", data='{"stars": 4}',
                       content_type="application/json").json()
    assert body == {"content": published.pk, "stars": 4, "rating_average": 4.0, "rating_count": 1}
    body = api.request("put", f"/library/contents/{published.pk}/rating", data='{"stars": 2}',
                       content_type="application/json").json()
    assert body["stars"] == 2 and body["rating_count"] == 1
    assert api.get(f"/library/contents/{published.pk}").json()["my_rating"] == 2
    body = api.request("delete", f"/library/contents/{published.pk}/rating").json()
    assert body["stars"] is None and body["rating_count"] == 0


def test_ratings_refused(as_, published, draft):
    def put(who, content, stars):
        return as_(who).request("put", f"/library/contents/{content.pk}/rating", data=f'{{"stars": {stars}}}',
                                content_type="application/json")

    assert assert_error(put("teacher_rubi", published, 5), 409, "conflict")["details"]["reason"] == "own_content"
    assert put("teacher_of_other_school", published, 9).status_code == 400
    assert_error(put("colleague_shirina", draft, 5), 404, "not_found")
    assert put("head_teacher_masuma", draft, 5).status_code == 409  # she sees the draft; it is not published
    assert_error(put(None, published, 5), 401, "not_authenticated")
    assert not Rating.objects.exists()


def test_comments_public_list_and_teacher_post(as_, published, django_assert_max_num_queries):
    api = as_("teacher_of_other_school")
    response = api.post(f"/library/contents/{published.pk}/comments", {"body": "খুব কাজের!"})
    assert response.status_code == 201 and response.json()["body"] == "খুব কাজের!"
    with django_assert_max_num_queries(4):
        page = as_(None).get(f"/library/contents/{published.pk}/comments").json()
    assert page["count"] == 1 and page["items"][0]["author"]["name_en"] == "Kamrun Nahar"
    error = assert_error(api.post(f"/library/contents/{published.pk}/comments", {"body": ""}), 400, "bad_request")
    assert error["message"]
    assert Comment.objects.count() == 1


def test_a_report_goes_to_the_queue_once(as_, published):
    api = as_("teacher_of_other_school")
    response = api.post(f"/library/contents/{published.pk}/reports", {"reason": "wrong", "note": "ভুল যোগফল"})
    assert response.status_code == 201 and response.json()["status"] == "open"
    error = assert_error(api.post(f"/library/contents/{published.pk}/reports", {"reason": "wrong"}), 409, "conflict")
    assert error["details"]["reason"] == "already_reported"
    assert api.post(f"/library/contents/{published.pk}/reports", {"reason": "nonsense"}).status_code in (400, 409)
    assert Report.objects.count() == 1


# ------------------------------------------------------------------------------------------------ model contents


def _reviewed(content: Content, reviewer) -> Content:
    from shikhon.library.rubric import current_rubric

    Review.objects.create(version=content.latest_version, content=content, reviewer=reviewer,
                          rubric=current_rubric(), scores=SCORES, average="3.20", decision=Review.Decision.PUBLISH)
    return content


@pytest.mark.parametrize(("who", "status"), [("mentor_noakhali", 200), ("mentor_national", 200),
                                             ("mentor_hatia", 403), ("officer_hatia", 403),
                                             ("teacher_of_other_school", 403)])
def test_district_and_national_mentors_promote(as_, published, library_people, who, status):
    _reviewed(published, library_people["mentor_hatia"])
    response = as_(who).post(f"/library/contents/{published.pk}/promote")
    assert response.status_code == status
    published.refresh_from_db()
    assert published.is_model is (status == 200)


def test_models_listed_adapted_and_demoted(as_, published, library_people, django_assert_max_num_queries):
    _reviewed(published, library_people["mentor_hatia"])
    as_("mentor_noakhali").post(f"/library/contents/{published.pk}/promote")
    with django_assert_max_num_queries(3):
        models = as_(None).get("/library/models", {"grade": 1}).json()
    assert [c["id"] for c in models["items"]] == [published.pk] and models["items"][0]["is_model"]
    api = as_("teacher_of_other_school")
    first = api.post(f"/library/contents/{published.pk}/adapt")
    assert first.status_code == 201, first.content
    assert first.json()["state"] == "draft" and first.json()["adapted_from"]["id"] == published.pk
    again = api.post(f"/library/contents/{published.pk}/adapt")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert assert_error(as_("teacher_rubi").post(f"/library/contents/{published.pk}/adapt"), 409,
                        "conflict")["details"]["reason"] == "own_content"
    assert_error(as_("mentor_noakhali").post(f"/library/contents/{published.pk}/demote", {"reason": ""}), 400,
                 "bad_request")
    body = as_("mentor_noakhali").post(f"/library/contents/{published.pk}/demote", {"reason": "পুরোনো তথ্য"}).json()
    assert body["is_model"] is False


def test_a_draft_is_not_adapted(as_, draft):
    assert_error(as_("teacher_of_other_school").post(f"/library/contents/{draft.pk}/adapt"), 404, "not_found")
    assert as_("head_teacher_masuma").post(f"/library/contents/{draft.pk}/adapt").status_code in (403, 409)
