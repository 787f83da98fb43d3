"""`make demo` prints one login for every role; each of them signs in by one-time code and gets a home page."""

import pytest
from django.urls import reverse

from shikhon.core import sms
from shikhon.demo.data import PEOPLE, describe, load_demo
from shikhon.people.models import Role


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_covers_every_role():
    first = load_demo()
    counts = (Role.objects.count(), len(first))
    load_demo()
    assert (Role.objects.count(), len(load_demo())) == counts
    assert {p.kind for p in PEOPLE} == set(Role.Kind.values)
    printed = describe(first)
    for person in PEOPLE:
        assert person.phone[:5] + "-" + person.phone[5:] in printed


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE, ids=[p.name_en for p in PEOPLE])
def test_every_demo_login_signs_in_by_code(client, person, django_capture_on_commit_callbacks):
    load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:sign_in"), {"phone": person.phone})
    assert response.status_code == 302
    import re

    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    assert code.isdigit() and len(code) == 6
    response = client.post(reverse("people:sign_in_code"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]
    home = client.get(reverse("insights:home"))
    assert home.status_code == 200
    assert home.context["user"].phone.endswith(person.phone[1:])
