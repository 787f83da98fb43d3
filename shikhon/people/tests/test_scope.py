"""people.scope: "everything" stays everything when combined; "nothing" stays nothing."""

from __future__ import annotations

import pytest
from django.db.models import Q

from shikhon.people.models import Role
from shikhon.people.scope import everything_q, nothing_q, user_scope

pytestmark = pytest.mark.django_db


def test_everything_stays_everything_when_ored_or_anded(people):
    """An empty Q() would vanish: Q(a) | Q() is Q(a), silently narrowing "everything" to "a"."""
    everyone = Role.objects.count()
    rubi_only = Q(user=people["teacher_rubi"])
    assert Role.objects.filter(everything_q() | rubi_only).count() == everyone
    assert Role.objects.filter(rubi_only | everything_q()).count() == everyone
    assert Role.objects.filter(everything_q() & rubi_only).count() == Role.objects.filter(rubi_only).count()
    assert not Role.objects.filter(nothing_q()).exists()
    assert Role.objects.filter(nothing_q() | rubi_only).count() == Role.objects.filter(rubi_only).count()


@pytest.mark.parametrize("method", ["place_q", "headed_or_overseen_q", "officer_place_q"])
def test_a_national_admins_scope_ored_with_anything_is_still_everything(people, method):
    q = getattr(user_scope(people["national_admin_nasrin"]), method)()
    narrow = Q(user=people["teacher_rubi"])
    assert Role.objects.filter(q | narrow).count() == Role.objects.count()
    assert Role.objects.filter(narrow | q).count() == Role.objects.count()


@pytest.mark.parametrize("module, name", [
    ("shikhon.people.permissions", "users_visible_to"),
    ("shikhon.certificates.permissions", "certificates_visible_to"),
    ("shikhon.training.permissions", "batches_visible_to"), ("shikhon.courses.permissions", "courses_visible_to"),
    ("shikhon.media.permissions", "videos_visible_to"),
])
def test_no_which_rows_filter_answers_an_empty_q(people, module, name):
    import importlib

    q = getattr(importlib.import_module(module), name)(people["national_admin_nasrin"])
    assert q != Q()
    assert len(q) > 0
