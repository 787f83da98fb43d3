"""Names people type lose bidi controls and hidden characters (core.fields, decision 0008), whichever way
they come in, and keep the joiners Bangla needs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shikhon.people import services
from shikhon.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"
ZWJ_NAME = "র\u200d্যাব"  # র‍্যাব: the joiner stays


def test_a_name_with_an_override_saved_by_a_service_comes_back_without_it():
    user = UserFactory(name_bn="আগের নাম")
    services.user_update_profile(actor=user, user=user, name_bn=f"রুবি {RLO}আক্তার {ZWJ_NAME}",
                                 name_en="Rubi\u2066 Akter\u2069", gender="", designation=f"{RLO}teacher\ufeff")
    user.refresh_from_db()
    assert (user.name_bn, user.name_en, user.designation) == (f"রুবি আক্তার {ZWJ_NAME}", "Rubi Akter", "teacher")


def test_a_new_person_is_stored_clean():
    user = services.user_create(phone="01712345678", name_bn=f"{RLO}নাসিমা\u200f খাতুন")
    user.refresh_from_db()
    assert user.name_bn == "নাসিমা খাতুন"


def test_a_name_of_only_hidden_characters_is_refused_with_a_sentence_and_nothing_stored():
    user = UserFactory(name_bn="আগের নাম")
    with pytest.raises(ValidationError) as refused:
        services.user_update_profile(actor=user, user=user, name_bn=f"{RLO}\u200e", name_en="", gender="",
                                     designation="")
    assert "name_bn" in refused.value.message_dict
    user.refresh_from_db()
    assert user.name_bn == "আগের নাম"


def test_the_profile_page_isolates_the_name_and_is_valid_html(client):
    from shikhon.core.tests.html_checks import html_problems

    user = UserFactory(name_bn="রুবি আক্তার")
    client.force_login(user)
    page = client.get(reverse("people:profile")).content.decode()
    assert not html_problems(page)


@pytest.mark.parametrize("url", ["/sign-in/", "/register/", "/sign-in/password/"])
def test_phone_forms_are_valid_html_with_one_type_attribute(client, url):
    from shikhon.core.tests.html_checks import html_problems

    page = client.get(url).content.decode()
    assert 'type="tel"' in page
    assert not html_problems(page)


def test_rows_written_before_the_fields_are_cleaned_by_the_data_migration(people):
    from django.apps import apps as registry

    from shikhon.core.fields import clean_stored_rows
    from shikhon.people.models import User

    rubi, masuma = people["teacher_rubi"], people["head_teacher_masuma"]
    User.objects.filter(pk=rubi.pk).update(name_en=f"Rubi {RLO}Akter", designation="\u2066teacher\u2069")
    untouched = User.objects.get(pk=masuma.pk).name_bn
    clean_stored_rows("people", {"user": ["name_en", "designation"]})(registry, None)
    rubi.refresh_from_db()
    assert (rubi.name_en, rubi.designation) == ("Rubi Akter", "teacher")
    assert User.objects.get(pk=masuma.pk).name_bn == untouched
