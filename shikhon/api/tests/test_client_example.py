"""docs/api-client-example.py, run against a live test server (pytest-django's live_server), so the example in
the documentation stays true: it signs in with a token, enrols, marks activities done and submits a quiz."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings

from shikhon.courses.models import ActivityProgress, Enrolment, QuizAttempt
from shikhon.courses.tests.factories import course_with_content
from shikhon.people.services import access_token_create

SCRIPT = Path(settings.BASE_DIR) / "docs" / "api-client-example.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_client_example", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_example_client_enrols_and_submits_a_quiz(live_server, people):
    course = course_with_content(modules=2, activities=2, slug="anonde-gonit", title="Joyful maths")
    rubi = people["teacher_rubi"]
    _token, raw = access_token_create(actor=rubi, name="example")
    example = _script()
    out = io.StringIO()

    attempt = example.run(example.Shikhon(live_server.url, raw), out=out)

    text = out.getvalue()
    assert "Signed in as Rubi Akter" in text and "anonde-gonit: Joyful maths" in text
    assert "Enrolled in Joyful maths" in text and "Score:" in text
    enrolment = Enrolment.objects.get(user=rubi, course=course)
    assert ActivityProgress.objects.filter(enrolment=enrolment, done_at__isnull=False).count() == 2
    stored = QuizAttempt.objects.get(enrolment=enrolment)
    assert stored.submitted_at is not None and stored.score_percent == attempt["result"]["score_percent"]

    # Run again: already enrolled, the module's activities done; a second attempt (or the result) answers.
    assert example.main(["--base-url", live_server.url, "--token", raw, "--course", "anonde-gonit"]) == 0


@pytest.mark.django_db(transaction=True)
def test_a_bad_token_is_reported_not_a_traceback(live_server, capsys):
    example = _script()
    assert example.main(["--base-url", live_server.url, "--token", "shk_wrong"]) == 1
    assert "Refused: 401 invalid_token" in capsys.readouterr().err
