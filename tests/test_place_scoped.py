"""Rows placed by copied ids (in any app) use `core.PlaceScopedModel`, and every place id they carry is indexed, so a
scope filter (`Scope.place_q`, `officer_place_q`) is an indexed IN on one table."""

from __future__ import annotations

from types import SimpleNamespace

from django.apps import apps
from django.db import models

from shikhon.core.models import PLACE_FIELDS, PlaceScopedModel


def _copied_place_columns(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    return [f for f in model._meta.concrete_fields
            if f.attname in PLACE_FIELDS and not f.is_relation and isinstance(f, models.BigIntegerField)]


def test_every_model_with_copied_place_ids_is_place_scoped_and_indexed() -> None:
    placed = {m: _copied_place_columns(m) for m in apps.get_models()}
    placed = {m: columns for m, columns in placed.items() if columns}
    names = {m._meta.label for m in placed}
    assert {"courses.Enrolment", "certificates.Certificate", "training.Batch", "training.Invitation"} <= names
    for model, columns in placed.items():
        assert issubclass(model, PlaceScopedModel), model._meta.label
        for column in columns:
            indexed = getattr(column, "db_index", False) or any(
                index.fields and index.fields[0] in (column.name, column.attname) for index in model._meta.indexes)
            assert indexed, f"{model._meta.label}.{column.attname} has no index"


def test_place_at_copies_the_ids_the_model_carries() -> None:
    from shikhon.courses.models import Enrolment
    from shikhon.training.models import Batch

    placement = SimpleNamespace(school_id=1, upazila_id=2, district_id=3, division_id=4)
    enrolment = Enrolment()
    enrolment.place_at(placement)
    assert (enrolment.school_id, enrolment.upazila_id, enrolment.district_id, enrolment.division_id) == (1, 2, 3, 4)
    enrolment.place_at(None)
    assert (enrolment.school_id, enrolment.upazila_id, enrolment.district_id, enrolment.division_id) == (
        None, None, None, None)
    batch = Batch()  # held in an upazila (a foreign key); no school
    batch.place_at(placement)
    assert (batch.upazila_id, batch.district_id, batch.division_id) == (2, 3, 4)
    assert "school_id" not in {f.attname for f in Batch._meta.concrete_fields} and batch.school_id is None
