"""The OpenAPI document itself: one component per schema name, and every operation's answers documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import Counter

from ninja import Schema

import shikhon.api.routers
from shikhon.api.tests.conftest import _document


def test_schema_class_names_are_unique():
    """ninja names a component after its class: two routers' `CourseRef`s would share one component, and one
    router's answers would be documented with the other's fields (this happened; the answer checks caught it)."""
    modules = ["shikhon.api.schemas"] + [f"shikhon.api.routers.{m.name}"
                                         for m in pkgutil.iter_modules(shikhon.api.routers.__path__)]
    names: Counter[str] = Counter()
    for name in modules:
        module = importlib.import_module(name)
        for _attr, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == name:
                names[value.__name__] += 1
    assert [name for name, count in names.items() if count > 1] == []


def test_every_operation_documents_its_errors_in_the_one_shape():
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "414", "429"} <= set(responses), f"{method} {path}"  # 422 only with parameters
            for status, response in responses.items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, f"{method} {path} {status}"
