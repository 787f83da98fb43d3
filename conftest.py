"""Shared fixtures: named people of the demo story, in every role, and people of other places."""

from __future__ import annotations

import pytest

from shikhon.core import sms


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def places(db):
    from shikhon.people.tests.factories import named_places

    return named_places()


@pytest.fixture
def people(db, places):
    """teacher_rubi, head_teacher_masuma, officer_hatia, … (see people/tests/factories.py)."""
    from shikhon.people.tests.factories import named_people

    return named_people(places)
