"""The library and champions operations under generated requests (as test_practice_schemathesis.py does for
practice): schemathesis sends valid and deliberately invalid requests to every /library/ and /champions/ operation
with a teacher's token, and none may answer a server error; every answer must match the document. A few examples
per operation and mode keep it under a minute (their inputs are ids, a few filters and small bodies)."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shikhon.api.tests.conftest import API
from shikhon.api.tests.test_schemathesis import wsgi_app_in_test_transaction  # noqa: F401 - fixture
from shikhon.library.tests.factories import ContentFactory
from shikhon.people.services import access_token_create

EXAMPLES = 5
PATHS = ("/library/", "/champions/")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.clock_free]


def test_no_generated_library_request_gets_a_server_error(people, settings, media_root,
                                                          wsgi_app_in_test_transaction):  # noqa: F811
    settings.SHIKHON_API_RATE_PER_MINUTE = 1_000_000
    rubi = people["teacher_rubi"]
    # Something to find and open: her draft and her published content (ids 1 and 2 in a fresh database).
    ContentFactory(author=rubi)
    ContentFactory(author=rubi, published=True)
    ContentFactory(author=people["teacher_of_other_school"], published=True)
    _token, raw = access_token_create(actor=rubi, name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", wsgi_app_in_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()
                  if result.ok().path.removeprefix(API).startswith(PATHS)]
    assert len(operations) >= 28
    statuses: Counter[int] = Counter()

    def run(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            # An operation without parameters or body (the rubric, the formula) has no invalid request to make.
            assert mode == GenerationMode.NEGATIVE, operation.label

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(operation, mode)
    assert not [status for status in statuses if status >= 500], statuses
    assert statuses[401] == 0 and statuses[200] > 0, statuses
