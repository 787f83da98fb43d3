"""Manifest, service worker, offline page, a module's pack, and the weight of offline.js."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shikhon.courses.models import Course, QuizAttempt
from shikhon.courses.tests.factories import course_with_content, do_activities
from shikhon.media.models import Video


def test_manifest_is_public_json(client: Client, db: Any) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["start_url"] == "/" and body["display"] == "standalone"
    assert body["name"].startswith("শিখন")
    assert body["theme_color"] == "#0b6e4f"
    sizes = {icon["sizes"] for icon in body["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes


def test_service_worker_is_public_uncached_javascript(client: Client, db: Any) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert '"/offline/"' in text and "/static/css/site" in text and "/static/js/offline" in text
    assert "shikhon-shell-" in text


def test_offline_page_is_public(client: Client, db: Any) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "You are offline" in response.content.decode()


def test_base_page_links_manifest_and_one_deferred_script(client: Client, people: dict[str, Any]) -> None:
    client.force_login(people["teacher_rubi"])
    html = client.get("/offline/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert html.count("<script") == 1 and " defer " in html


def test_offline_js_is_small() -> None:
    source = (Path(settings.BASE_DIR) / "static" / "js" / "offline.js").read_bytes()
    assert len(gzip.compress(source, 9)) <= 10 * 1024


def test_offline_js_and_the_service_worker_keep_the_same_outbox(client: Client, db: Any) -> None:
    """Both write the IndexedDB outbox: the same database version, and both number items by `seq` so they
    are sent in the order they were made (the browser test sends them; decision 0006)."""
    script = (Path(settings.BASE_DIR) / "static" / "js" / "offline.js").read_text()
    worker = client.get("/sw.js").content.decode()
    version = re.search(r"const DB_VERSION = (\d+);", script)
    assert version is not None
    assert f'indexedDB.open("shikhon", {version.group(1)})' in worker
    for source in (script, worker):
        assert 'createIndex("seq", "seq")' in source and 'index("seq").getAll()' in source


@pytest.fixture
def ready_video(db: Any) -> Video:
    return Video.objects.create(status=Video.Status.READY, low="videos/x/low.mp4", poster="videos/x/poster.jpg",
                                captions="videos/x/captions.vtt", low_bytes=1_000_000)


def _save(client: Client, module: Any) -> Any:
    return client.post(reverse("offline:module_save", kwargs={"pk": module.pk}))


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_pack_for_enrolled_teacher(client: Client, people: dict[str, Any], course: Course, rubi_enrolled: Any,
                                   ready_video: Video, django_assert_max_num_queries: Any) -> None:
    module = course.modules.order_by("position").first()
    first, second = module.activities.order_by("position")
    first.video = ready_video
    first.save()
    do_activities(people["teacher_rubi"], module)  # the quiz is saved (started) once the activities are done
    client.force_login(people["teacher_rubi"])
    with django_assert_max_num_queries(25):
        response = _save(client, module)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pack = response.json()
    urls = pack["urls"]
    attempt = QuizAttempt.objects.get(enrolment=rubi_enrolled)
    for url in [module.get_absolute_url(), first.get_absolute_url(), second.get_absolute_url(),
                f"/activities/{first.pk}/sheet.pdf", ready_video.low_url, ready_video.poster_url,
                ready_video.captions_url,
                module.quiz.get_absolute_url(), attempt.get_absolute_url(), "/offline/"]:
        assert url in urls
    assert any(u.startswith("/static/css/site") for u in urls)
    assert len(urls) == len(set(urls))
    assert pack["media_bytes"] == 1_000_000 and pack["skipped"] == []
    # Saving again keeps the open attempt.
    assert _save(client, module).json()["urls"] == urls
    assert QuizAttempt.objects.filter(enrolment=rubi_enrolled).count() == 1


def test_pack_query_count_does_not_grow_with_activities(client: Client, people: dict[str, Any],
                                                        django_assert_max_num_queries: Any) -> None:
    from shikhon.courses import services as learning

    big = course_with_content(modules=1, activities=12)
    learning.enrolment_create(actor=people["teacher_rubi"], course=big)
    client.force_login(people["teacher_rubi"])
    with django_assert_max_num_queries(25):
        assert _save(client, big.modules.get()).status_code == 200


def test_a_locked_module_is_not_saved(client: Client, people: dict[str, Any], course: Course,
                                      rubi_enrolled: Any) -> None:
    """A locked module offers no download: the POST answers 403 with why it is locked, and starts nothing."""
    second = course.modules.order_by("position")[1]
    client.force_login(people["teacher_rubi"])
    response = _save(client, second)
    assert response.status_code == 403
    assert "its activities and its quiz" in response.json()["error"]
    assert not QuizAttempt.objects.exists()


def test_pack_skips_the_quiz_until_the_activities_are_done(client: Client, people: dict[str, Any], course: Course,
                                                           rubi_enrolled: Any) -> None:
    first = course.modules.order_by("position")[0]
    client.force_login(people["teacher_rubi"])
    pack = _save(client, first).json()
    assert first.quiz.get_absolute_url() not in pack["urls"]
    assert pack["skipped"][0]["reason"].startswith("The quiz is not saved for offline use")
    assert "Do every activity of this module first" in pack["skipped"][0]["reason"]
    assert not QuizAttempt.objects.exists()


def test_pack_skips_a_timed_quiz_without_starting_it(client: Client, people: dict[str, Any], course: Course,
                                                     rubi_enrolled: Any) -> None:
    module = course.modules.order_by("position").first()
    module.quiz.time_limit_minutes = 10
    module.quiz.save()
    client.force_login(people["teacher_rubi"])
    pack = _save(client, module).json()
    assert pack["skipped"] == [{"url": module.quiz.get_absolute_url(),
                                "reason": "The quiz has a time limit, so it is answered online."}]
    assert not QuizAttempt.objects.exists()


def test_pack_refuses_a_teacher_who_is_not_enrolled(client: Client, people: dict[str, Any], course: Course) -> None:
    client.force_login(people["teacher_of_other_school"])
    response = _save(client, course.modules.first())
    assert response.status_code == 403
    assert "Enrol in this course first" in response.json()["error"]
    assert not QuizAttempt.objects.exists()


def test_saving_a_hidden_module_is_404_and_stores_nothing(client: Client, people: dict[str, Any]) -> None:
    draft = course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)
    client.force_login(people["teacher_rubi"])
    response = _save(client, draft.modules.get())
    assert response.status_code == 404
    assert response.json()["error"] == "This module was not found."
    assert client.post(reverse("offline:module_save", kwargs={"pk": 999999})).status_code == 404
    assert client.post("/offline/modules/x/save/").status_code == 404
    assert not QuizAttempt.objects.exists()


def test_saving_needs_the_csrf_token(people: dict[str, Any], course: Course, rubi_enrolled: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["teacher_rubi"])
    assert _save(client, course.modules.first()).status_code == 403
    assert not QuizAttempt.objects.exists()


def test_get_writes_nothing(client: Client, people: dict[str, Any], course: Course, rubi_enrolled: Any) -> None:
    """A GET of the save address is refused, and the module page (with its download button) and the
    offline pages write nothing: the attempt is started only by the POST."""
    module = course.modules.order_by("position").first()
    client.force_login(people["teacher_rubi"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("offline:module_save", kwargs={"pk": module.pk})).status_code == 405
        assert client.get("/offline/").status_code == 200
        assert client.get("/sw.js").status_code == 200
    assert _writes(queries) == []
    assert not QuizAttempt.objects.exists()


def test_pack_needs_sign_in(client: Client, course: Course) -> None:
    response = _save(client, course.modules.first())
    assert response.status_code == 302
    assert not QuizAttempt.objects.exists()
