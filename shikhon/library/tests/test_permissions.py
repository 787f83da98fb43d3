"""Who sees a library content in each state (decision 0012): a role × state matrix through `access_content`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from shikhon.library import permissions
from shikhon.library.selectors.access import access_content
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["teacher_rubi", "head_teacher_masuma", "colleague_shirina", "teacher_of_other_school", "mentor_hatia",
            "mentor_noakhali", "mentor_national", "mentor_subarnachar", "officer_hatia", "officer_other_upazila",
            "officer_noakhali", "national_admin_nasrin", "researcher_tanvir", "no_role_user", "visitor"]
DRAFT_SEERS = {"teacher_rubi", "head_teacher_masuma", "mentor_hatia", "mentor_noakhali", "mentor_national"}
HIDDEN_SEERS = {"teacher_rubi", "mentor_hatia", "mentor_noakhali", "mentor_national", "officer_hatia",
                "officer_noakhali", "national_admin_nasrin"}


def _who(library_people, key):
    return AnonymousUser() if key == "visitor" else library_people[key]


@pytest.mark.parametrize("who", EVERYONE)
def test_draft_seen_by_author_head_teacher_and_area_mentors(library_people, who):
    draft = ContentFactory(author=library_people["teacher_rubi"])
    if who in DRAFT_SEERS:
        assert access_content(_who(library_people, who), draft.pk) == draft
    else:
        with pytest.raises(Http404):
            access_content(_who(library_people, who), draft.pk)


@pytest.mark.parametrize("who", EVERYONE)
def test_published_seen_by_everyone(library_people, who):
    content = ContentFactory(author=library_people["teacher_rubi"], published=True)
    assert access_content(_who(library_people, who), content.pk) == content


@pytest.mark.parametrize("who", EVERYONE)
def test_hidden_seen_by_author_and_moderators(library_people, who):
    content = ContentFactory(author=library_people["teacher_rubi"], published=True, hidden_at=timezone.now())
    if who in HIDDEN_SEERS:
        assert access_content(_who(library_people, who), content.pk) == content
    else:
        with pytest.raises(Http404):
            access_content(_who(library_people, who), content.pk)


@pytest.mark.parametrize("pk", ["abc", "-1", "0", str(2**70), None])
def test_malformed_ids_are_404(library_people, pk):
    with pytest.raises(Http404):
        access_content(library_people["teacher_rubi"], pk)


def test_review_and_promote_rights(library_people):
    p = library_people
    content = ContentFactory(author=p["teacher_rubi"], published=True)
    assert permissions.can_review(p["mentor_hatia"], content)
    assert permissions.can_review(p["mentor_noakhali"], content)
    assert not permissions.can_review(p["officer_hatia"], content)
    assert not permissions.can_review(p["mentor_subarnachar"], content)
    assert not permissions.can_review(p["teacher_rubi"], content)
    assert permissions.can_promote(p["mentor_noakhali"], content)
    assert permissions.can_promote(p["mentor_national"], content)
    assert not permissions.can_promote(p["mentor_hatia"], content)  # an upazila mentor does not promote
    assert permissions.can_moderate(p["officer_hatia"], content)
    assert not permissions.can_moderate(p["officer_other_upazila"], content)
    own = ContentFactory(author=p["mentor_hatia"])
    assert not permissions.can_review(p["mentor_hatia"], own)
