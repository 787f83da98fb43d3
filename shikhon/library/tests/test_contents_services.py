"""The contents part's writes (services.contents): making a content, editing a draft in place, a new version after
publication or changes requested (fields and files copied), sending for review (mentors told), taking it back, who
may, and bad input as sentences with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.core.search import normalise
from shikhon.library.models import Content, ContentFile, ContentVersion, Kind, Review, Rubric, State, Topic
from shikhon.library.registry_contents import CONTENT_SUBMITTED
from shikhon.library.selectors import curriculum
from shikhon.library.services import contents as services
from shikhon.library.services.copying import copy_version_onto
from shikhon.library.tests.factories import subject
from shikhon.notify.models import Notification
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def chapter(code: str = "math", grade: int = 1) -> Topic:
    return Topic.objects.filter(subject__code=code, grade=grade, parent=None).order_by("number").first()


def fields(**over: Any) -> dict[str, Any]:
    base = {"title": "কাঠি দিয়ে যোগ", "summary": "দশটি কাঠি দিয়ে যোগ শেখা।", "body": "## ধাপ\n\n- কাঠি গোনা",
            "grade": 1, "subject": subject("math"), "topic": chapter(), "kind": Kind.LESSON_PLAN, "language": "bn"}
    return {**base, **over}


def make(author: Any, **over: Any) -> Content:
    return services.content_create(actor=author, **fields(**over))


def publish(content: Content) -> Content:
    """What the reviews part does when a mentor publishes the latest version (enough for these tests)."""
    content.refresh_from_db()
    version = content.latest_version
    now = timezone.now()
    ContentVersion.objects.filter(content=content, state=State.PUBLISHED).update(state=State.SUPERSEDED)
    version.state, version.decided_at = State.PUBLISHED, now
    version.save(update_fields=["state", "decided_at"])
    content.state, content.published_version = State.PUBLISHED, version
    content.published_at = content.published_at or now
    update = copy_version_onto(content, version)
    content.save(update_fields=[*update, "state", "published_version", "published_at"])
    return content


def send_back(content: Content, mentor: Any) -> Content:
    content.refresh_from_db()
    version = content.latest_version
    version.state, version.decided_at = State.CHANGES_REQUESTED, timezone.now()
    version.save(update_fields=["state", "decided_at"])
    Review.objects.create(version=version, content=content, reviewer=mentor, rubric=Rubric.objects.first(),
                          scores={}, average=2, decision=Review.Decision.CHANGES, feedback="ছবি দিন")
    content.state = State.CHANGES_REQUESTED
    content.save(update_fields=["state"])
    return content


# ---------------------------------------------------------------- create


def test_create_places_her_content_at_her_school_as_a_draft(library_people, places):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    content.refresh_from_db()
    assert content.author == rubi and content.state == State.DRAFT
    assert content.school_id == places["school_hatia"].pk and content.upazila_id == places["hatia"].pk
    assert content.district_id == places["noakhali"].pk and content.published_version is None
    version = content.latest_version
    assert version.number == 1 and version.state == State.DRAFT and version.made_by == rubi
    assert content.title == version.title == "কাঠি দিয়ে যোগ" and content.topic == chapter()
    assert "<h3>ধাপ</h3>" in version.body_html
    assert content.search_text == normalise("কাঠি দিয়ে যোগ দশটি কাঠি দিয়ে যোগ শেখা। ## ধাপ\n\n- কাঠি গোনা")


def test_head_teacher_may_create(library_people):
    assert make(library_people["head_teacher_masuma"]).school_id is not None


@pytest.mark.parametrize("who", ["mentor_hatia", "officer_hatia", "researcher_tanvir", "national_admin_nasrin",
                                 "no_role_user", "teacher_pending_zahid"])
def test_only_teachers_with_a_school_role_create(library_people, who):
    with pytest.raises(PermissionDenied):
        make(library_people[who])
    assert not Content.objects.exists()


def test_body_is_sanitised(library_people):
    body = ('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(1))\n\n'
            "[ok](https://nctb.gov.bd)")
    version = make(library_people["teacher_rubi"], body=body).latest_version
    html = version.body_html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert 'href="https://nctb.gov.bd" rel="nofollow noopener"' in html
    assert version.body == body  # what she wrote is kept as written


def test_bidi_controls_removed_from_what_she_typed(library_people):
    content = make(library_people["teacher_rubi"], title="যোগ\u202e abc\u2066", summary="এক\u200fদুই",
                   body="লেখা\u202d")
    version = content.latest_version
    assert version.title == "যোগ abc" and content.title == "যোগ abc"
    assert "\u200f" not in version.summary and "\u202d" not in version.body


def test_zwj_zwnj_stay(library_people):
    title = "র\u200d্যাব ক্\u200cষ"
    assert make(library_people["teacher_rubi"], title=title).title == title


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("over, field", [
    ({"title": ""}, "title"),
    ({"title": "   \u202e "}, "title"),
    ({"title": "ক" * 201}, "title"),
    ({"summary": "ক" * 601}, "summary"),
    ({"body": "ক" * 20_001}, "body"),
    ({"grade": 11}, "grade"),
    ({"grade": 0}, "grade"),
    ({"grade": "1"}, "grade"),
    ({"grade": True}, "grade"),
    ({"subject": None}, "subject"),
    ({"subject": "math"}, "subject"),
    ({"kind": "novel"}, "kind"),
    ({"language": "fr"}, "language"),
    ({"topic": "7"}, "topic"),
])
def test_bad_input_is_a_sentence_and_nothing_is_stored(library_people, over, field):
    with pytest.raises(ValidationError) as caught:
        make(library_people["teacher_rubi"], **over)
    assert field in caught.value.message_dict
    assert all(m.endswith((".", "।")) for m in caught.value.message_dict[field])
    assert not Content.objects.exists() and not ContentVersion.objects.exists()


def test_topic_of_another_subject_or_class_is_refused(library_people):
    rubi = library_people["teacher_rubi"]
    with pytest.raises(ValidationError) as caught:
        make(rubi, topic=chapter("bangla", 1))
    assert "not part of" in caught.value.message_dict["topic"][0]
    with pytest.raises(ValidationError):
        make(rubi, topic=chapter("math", 2))
    assert not Content.objects.exists()


def test_subject_not_taught_in_the_class_is_refused(library_people):
    with pytest.raises(ValidationError) as caught:
        make(library_people["teacher_rubi"], subject=subject("physics"), topic=None, grade=1)
    assert "subject" in caught.value.message_dict


def test_several_problems_at_once(library_people):
    with pytest.raises(ValidationError) as caught:
        make(library_people["teacher_rubi"], title="", grade=11, kind="x")
    assert {"title", "grade", "kind"} <= set(caught.value.message_dict)


def test_no_topic_is_allowed(library_people):
    assert make(library_people["teacher_rubi"], topic=None).topic is None


# ---------------------------------------------------------------- update


def test_editing_a_draft_changes_it_in_place(library_people):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    services.content_update(actor=rubi, content=content, title="নতুন নাম", body="# নতুন")
    content.refresh_from_db()
    assert content.versions.count() == 1
    version = content.latest_version
    assert version.title == content.title == "নতুন নাম" and version.body_html == "<h2>নতুন</h2>"
    assert content.search_text == normalise("নতুন নাম দশটি কাঠি দিয়ে যোগ শেখা। # নতুন")
    assert version.topic == chapter()  # fields not given are kept


def test_nothing_changed_stores_nothing(library_people):
    rubi = library_people["teacher_rubi"]
    content = publish(make(rubi))
    services.content_update(actor=rubi, content=content, title=content.title)
    assert content.versions.count() == 1


def _attach(version: ContentVersion, name: str) -> ContentFile:
    return ContentFile.objects.create(version=version, file_kind=ContentFile.FileKind.PDF, file=f"library/x/{name}",
                                      original_name=name, size=10, sha256="a" * 64, content_type="application/pdf")


def test_editing_after_publication_makes_a_new_version_readers_do_not_see_yet(library_people):
    rubi = library_people["teacher_rubi"]
    content = publish(make(rubi, title="প্রথম"))
    first = content.published_version
    _attach(first, "slides.pdf")
    services.content_update(actor=rubi, content=content, title="দ্বিতীয়", grade=2, topic=None)
    content.refresh_from_db()
    second = content.latest_version
    assert second.number == 2 and second.state == State.DRAFT and second.made_by == rubi
    assert second.title == "দ্বিতীয়" and second.grade == 2 and second.summary == first.summary
    assert second.body == first.body and second.kind == first.kind
    assert list(second.files.values_list("original_name", "file")) == [("slides.pdf", "library/x/slides.pdf")]
    assert first.files.count() == 1  # kept on the published version
    # Readers still see the published version's fields; the content's state is its latest version's.
    assert content.published_version == first and content.title == "প্রথম" and content.grade == 1
    assert content.state == State.DRAFT
    first.refresh_from_db()
    assert first.state == State.PUBLISHED and first.title == "প্রথম"
    # A second edit changes the same draft.
    services.content_update(actor=rubi, content=content, summary="আরও")
    assert content.versions.count() == 2


def test_editing_after_changes_requested_makes_a_new_version(library_people):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    _attach(content.latest_version, "a.pdf")
    services.content_submit(actor=rubi, content=content)
    send_back(content, library_people["mentor_hatia"])
    services.content_update(actor=rubi, content=content, body="## আরও ছবি")
    content.refresh_from_db()
    assert content.versions.count() == 2 and content.state == State.DRAFT
    latest = content.latest_version
    assert latest.number == 2 and latest.files.count() == 1 and latest.title == "কাঠি দিয়ে যোগ"
    assert content.versions.get(number=1).state == State.CHANGES_REQUESTED  # kept, with its review
    # Not published yet: the content follows its latest version.
    assert content.search_text == normalise("কাঠি দিয়ে যোগ দশটি কাঠি দিয়ে যোগ শেখা। ## আরও ছবি")


@pytest.mark.parametrize("state", [State.SUBMITTED, State.UNDER_REVIEW])
def test_no_edit_while_waiting_for_review(library_people, state):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    ContentVersion.objects.filter(content=content).update(state=state)
    with pytest.raises(ValidationError):
        services.content_update(actor=rubi, content=content, title="বদল")
    assert content.latest_version.title == "কাঠি দিয়ে যোগ"


@pytest.mark.parametrize("who", ["head_teacher_masuma", "colleague_shirina", "mentor_hatia", "officer_hatia",
                                 "mentor_national", "teacher_of_other_school"])
def test_only_the_author_edits(library_people, who):
    content = make(library_people["teacher_rubi"])
    with pytest.raises(PermissionDenied):
        services.content_update(actor=library_people[who], content=content, title="বদল")
    with pytest.raises(PermissionDenied):
        services.content_submit(actor=library_people[who], content=content)
    content.refresh_from_db()
    assert content.title == "কাঠি দিয়ে যোগ" and content.state == State.DRAFT


def test_a_hidden_content_is_not_edited(library_people):
    rubi = library_people["teacher_rubi"]
    content = publish(make(rubi))
    Content.objects.filter(pk=content.pk).update(hidden_at=timezone.now())
    content.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.content_update(actor=rubi, content=content, title="বদল")


def test_bad_input_on_update_stores_nothing(library_people):
    rubi = library_people["teacher_rubi"]
    content = publish(make(rubi))
    with pytest.raises(ValidationError):
        services.content_update(actor=rubi, content=content, topic=chapter("bangla", 1))
    with pytest.raises(ValidationError):
        services.content_update(actor=rubi, content=content, body="x" * 20_001)
    assert content.versions.count() == 1


def test_unknown_fields_are_a_programming_error(library_people):
    rubi = library_people["teacher_rubi"]
    with pytest.raises(TypeError):
        services.content_update(actor=rubi, content=make(rubi), author=library_people["colleague_shirina"])


# ---------------------------------------------------------------- submit, withdraw


def test_submit_tells_the_mentors_of_her_upazila(library_people, django_capture_on_commit_callbacks):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_submit(actor=rubi, content=content)
    content.refresh_from_db()
    version = content.latest_version
    assert content.state == version.state == State.SUBMITTED and version.submitted_at is not None
    told = Notification.objects.filter(kind=CONTENT_SUBMITTED)
    assert set(told.values_list("recipient", flat=True)) == {library_people["mentor_hatia"].pk}
    assert told.get().url == content.get_absolute_url()
    with pytest.raises(ValidationError):  # once
        services.content_submit(actor=rubi, content=content)


def test_without_upazila_mentors_the_district_mentors_are_told(library_people, places,
                                                               django_capture_on_commit_callbacks):
    teacher = library_people["teacher_subarnachar"]
    Role.objects.filter(user=library_people["mentor_subarnachar"]).delete()
    content = make(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_submit(actor=teacher, content=content)
    told = set(Notification.objects.filter(kind=CONTENT_SUBMITTED).values_list("recipient", flat=True))
    assert told == {library_people["mentor_noakhali"].pk}


def test_without_area_mentors_the_division_then_national_mentors_are_told(library_people, places,
                                                                         django_capture_on_commit_callbacks):
    teacher = library_people["teacher_subarnachar"]
    Role.objects.filter(user__in=[library_people["mentor_subarnachar"], library_people["mentor_noakhali"]]).delete()
    first, second = make(teacher), make(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_submit(actor=teacher, content=first)
    told = set(Notification.objects.filter(kind=CONTENT_SUBMITTED).values_list("recipient", flat=True))
    assert told == {library_people["mentor_national"].pk}
    division_mentor = UserFactory(phone="+8801711000042")
    grant(division_mentor, Role.Kind.MENTOR, division=places["chattagram"])
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.content_submit(actor=teacher, content=second)
    told = set(Notification.objects.filter(kind=CONTENT_SUBMITTED).values_list("recipient", flat=True))
    assert told == {division_mentor.pk}


def test_a_mentor_who_writes_is_not_told_about_her_own(library_people, places, django_capture_on_commit_callbacks):
    writer = UserFactory(phone="+8801711000041")
    grant(writer, Role.Kind.TEACHER, school=places["school_hatia"])
    grant(writer, Role.Kind.MENTOR, upazila=places["hatia"])
    content = make(writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_submit(actor=writer, content=content)
    told = set(Notification.objects.filter(kind=CONTENT_SUBMITTED).values_list("recipient", flat=True))
    assert told == {library_people["mentor_hatia"].pk}


def test_withdraw_before_review_then_submit_again(library_people):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    services.content_submit(actor=rubi, content=content)
    services.content_withdraw(actor=rubi, content=content)
    content.refresh_from_db()
    assert content.state == content.latest_version.state == State.DRAFT
    assert content.latest_version.submitted_at is None
    services.content_update(actor=rubi, content=content, title="আবার")
    services.content_submit(actor=rubi, content=content)
    assert Content.objects.get(pk=content.pk).state == State.SUBMITTED


def test_no_withdraw_once_review_started_or_when_not_sent(library_people):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    with pytest.raises(ValidationError):
        services.content_withdraw(actor=rubi, content=content)
    services.content_submit(actor=rubi, content=content)
    ContentVersion.objects.filter(content=content).update(state=State.UNDER_REVIEW)
    with pytest.raises(ValidationError) as caught:
        services.content_withdraw(actor=rubi, content=content)
    assert "started reviewing" in caught.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.content_withdraw(actor=library_people["head_teacher_masuma"], content=content)


def test_nothing_to_submit_on_a_published_content(library_people):
    rubi = library_people["teacher_rubi"]
    content = publish(make(rubi))
    with pytest.raises(ValidationError) as caught:
        services.content_submit(actor=rubi, content=content)
    assert caught.value.code == "nothing_to_submit"


def test_the_whole_round_keeps_every_version(library_people):
    rubi = library_people["teacher_rubi"]
    content = make(rubi)
    services.content_submit(actor=rubi, content=content)
    send_back(content, library_people["mentor_hatia"])
    services.content_update(actor=rubi, content=content, title="দ্বিতীয়")
    services.content_submit(actor=rubi, content=content)
    publish(content)
    services.content_update(actor=rubi, content=content, title="তৃতীয়")
    content.refresh_from_db()
    assert list(content.versions.order_by("number").values_list("number", "state")) == [
        (1, State.CHANGES_REQUESTED), (2, State.PUBLISHED), (3, State.DRAFT)]
    assert content.title == "দ্বিতীয়" and content.state == State.DRAFT


# ---------------------------------------------------------------- curriculum


def test_curriculum_is_read_once(django_assert_num_queries):
    math, first = subject("math"), chapter()
    curriculum.forget()
    with django_assert_num_queries(2):
        curriculum.tree()
    with django_assert_num_queries(0):
        assert curriculum.subject_get(math.pk) == math
        assert curriculum.topic_get(first.pk) == first and curriculum.chapter_of(first) == first
        curriculum.topic_choices(math.pk, 1)
        curriculum.subjects_for_grade(9)


def test_subjects_for_a_class_and_grouped_topics():
    names = {s.code for s in curriculum.subjects_for_grade(1)}
    assert "math" in names and "physics" not in names
    choices = curriculum.topic_choices(subject("math").pk, 1)
    assert choices[0][0] == "" and len(choices) > 1
    label, options = choices[1]
    assert str(chapter().pk) == options[0][0]
    assert curriculum.topic_choices(None, 1) == choices[:1]
