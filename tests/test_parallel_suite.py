"""The suite runs in parallel (pytest-xdist, --dist loadfile): the tests of this file run in this order on one
worker. A transactional test flushes the database; the one after it must still find what the migrations loaded
(conftest.py reloads it). In one process pytest-django runs transactional tests last, which hid the problem."""

from __future__ import annotations

import os

import pytest

from shikhon.places.models import Upazila


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_flushes_the_database() -> None:
    assert Upazila.objects.count() == 494


@pytest.mark.django_db
def test_the_next_test_still_finds_the_geography_of_the_migrations() -> None:
    assert Upazila.objects.count() == 494


def test_each_worker_has_its_own_test_database(settings) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        pytest.skip("not running under pytest-xdist")
    name = settings.DATABASES["default"]["TEST"].get("NAME") or ""
    assert name == ":memory:" or name.endswith(f"_{worker}"), name


@pytest.mark.django_db
def test_asking_for_transactional_db_under_a_plain_mark_flushes_too(transactional_db) -> None:  # noqa: ARG001
    """conftest treats the `transactional_db` fixture as transactional even under a plain `django_db` mark."""
    assert Upazila.objects.count() == 494


@pytest.mark.django_db
def test_and_the_next_test_still_finds_the_geography() -> None:
    assert Upazila.objects.count() == 494
