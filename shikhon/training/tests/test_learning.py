from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.training import services

pytestmark = pytest.mark.django_db


def test_learning_home_empty(client, people):
    client.force_login(people["teacher_rubi"])
    response = client.get(reverse("learning:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have not started a course yet." in page
    assert reverse("courses:catalogue") in page


def test_learning_home_shows_courses_certificates_and_invitations(client, people, certified, batch,
                                                                  django_assert_max_num_queries):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    client.force_login(people["teacher_rubi"])
    client.get(reverse("learning:home"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("learning:home")).content.decode()
    assert reverse("training:invitation", kwargs={"pk": inv.pk}) in page
    assert batch.venue in page
    cert = people["teacher_rubi"].certificates.get()
    assert reverse("certificates:detail", kwargs={"pk": cert.pk}) in page
    assert "আনন্দে গণিত শিখি" in page


def test_learning_home_needs_sign_in(client):
    response = client.get(reverse("learning:home"))
    assert response.status_code == 302
