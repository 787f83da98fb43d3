"""Each teacher of the demo, at her stage of the demo course, finds her own next step first on her home page
(insights' home over demo's data: here, outside the apps, because insights may not import demo)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.demo.course import load_demo_course, load_demo_stages
from shikhon.demo.data import load_demo
from shikhon.people.models import User
from shikhon.people.phone import normalize_phone


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Certificates' PDFs are drawn as a stub: their rendering is tested in certificates.
    monkeypatch.setattr("shikhon.certificates.services.certificate_pdf_render", lambda certificate: b"%PDF-1.4 stub",
                        raising=False)
    load_demo()
    course = load_demo_course(videos=False)
    load_demo_stages(course)
    return course


def _home(client, phone: str):
    client.force_login(User.objects.get(phone=normalize_phone(phone)))
    response = client.get("/")
    assert response.status_code == 200
    return response.context, response.content.decode()


def test_each_demo_person_sees_her_own_next_step(client, demo):
    # Rubi: not enrolled — the demo course is offered, with its enrol button.
    context, html = _home(client, "01711000007")
    assert context["learner"].cards[0] == "recommend"
    assert reverse("courses:enrol", kwargs={"slug": demo.slug}) in html

    # Kamrun: enrolled, watched the first video but did not mark it done — continue at that activity.
    context, html = _home(client, "01711000011")
    position = context["learner"].position
    first = demo.modules.order_by("position").first().activities.order_by("position").first()
    assert context["learner"].cards[0] == "course"
    assert position.next_url == reverse("courses:activity", kwargs={"pk": first.pk})
    assert (position.module_number, position.modules_finished) == (1, 0)

    # Nasima: half-way, modules 1–4 finished — module 5, with her percentage.
    context, html = _home(client, "01711000013")
    position = context["learner"].position
    assert context["learner"].cards[0] == "course"
    assert (position.module_number, position.modules_finished, position.modules_total) == (5, 4, 9)
    assert 40 <= position.percent < 60 and position.next_kind == "activity"
    assert f'href="{position.next_url}" id="next-step"' in html

    # Shahnaz: certified a week ago — her certificate and the training it makes her eligible for.
    context, html = _home(client, "01711000014")
    learner = context["learner"]
    assert learner.cards[0] == "certificate" and learner.certificate_is_new
    assert [p.title for p in learner.unlocks] and learner.unlocks[0].title in html

    # Roksana: certified and invited — she answers the invitation first, right there.
    context, html = _home(client, "01711000015")
    learner = context["learner"]
    assert learner.cards[0] == "invitation"
    assert f'action="{reverse("training:invitation", kwargs={"pk": learner.to_answer.pk})}"' in html

    # Jasim: trained — the completed training first, then his certificate.
    context, html = _home(client, "01711000016")
    assert context["learner"].cards[:2] == ["trained", "certificate"]
    assert reverse("certificates:list") in html

    # (One demo for all, it takes a while to load.) The Hatia officer and head teacher see the story in numbers.
    context, html = _home(client, "01711000004")  # Abul Kalam, Hatia upazila education officer
    funnel = context["supervisor"].funnel
    # Hatia teachers enrolled: Kamrun, Nasima, Shahnaz, Roksana, Jasim (Subarnachar has none of them).
    assert [s.count for s in funnel.stages][1:] == [5, 3, 3, 1]
    assert "?stage=certified" in html
    context, _html = _home(client, "01711000006")  # Masuma, head teacher of Hatia Government Primary
    assert context["supervisor"].approvals == 1  # Zahid
