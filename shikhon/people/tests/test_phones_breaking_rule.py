"""Stored numbers that break the rule (made before issue 8) are reported, never changed."""

import importlib
import logging

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from shikhon.people.models import User
from shikhon.people.selectors import users_with_phone_breaking_rule
from shikhon.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("shikhon.people.migrations.0003_report_phones_breaking_rule")


@pytest.fixture
def accounts():
    good = UserFactory(phone="+8801712345678")
    # Written past the normaliser, as the old one let them through.
    old_operator = UserFactory.build(phone="+8801112345678")
    arabic_digits = UserFactory.build(phone="+880١٧١٢٣٤٥٦٧٨")
    User.objects.bulk_create([old_operator, arabic_digits])
    return good, User.objects.get(phone="+8801112345678"), User.objects.get(phone="+880١٧١٢٣٤٥٦٧٨")


def test_selector_lists_only_the_numbers_that_break_the_rule(accounts):
    good, old_operator, arabic_digits = accounts
    assert users_with_phone_breaking_rule() == [(old_operator.pk, "+8801112345678"),
                                                (arabic_digits.pk, "+880١٧١٢٣٤٥٦٧٨")]


def test_command_lists_them_fails_and_changes_nothing(accounts, capsys):
    good, old_operator, arabic_digits = accounts
    with pytest.raises(CommandError, match="2 account"):
        call_command("phones_breaking_rule")
    out = capsys.readouterr().out
    assert f"user {old_operator.pk}\t" in out and f"user {arabic_digits.pk}\t" in out
    assert f"user {good.pk}\t" not in out
    assert set(User.objects.values_list("phone", flat=True)) == {
        "+8801712345678", "+8801112345678", "+880١٧١٢٣٤٥٦٧٨"}


def test_command_is_quiet_when_every_number_follows_the_rule(capsys):
    UserFactory(phone="+8801912345678")
    call_command("phones_breaking_rule")
    assert "follows the rule" in capsys.readouterr().out


def test_migration_logs_the_user_ids_and_changes_nothing(accounts, caplog):
    good, old_operator, arabic_digits = accounts
    with caplog.at_level(logging.WARNING, logger="shikhon.people"):
        migration.report_phones_breaking_rule(apps, None)
    assert f"User ids: {old_operator.pk}, {arabic_digits.pk}." in caplog.text
    assert User.objects.filter(phone="+8801112345678").exists()


def test_migration_is_silent_when_all_is_well(caplog):
    UserFactory(phone="+8801512345678")
    with caplog.at_level(logging.WARNING, logger="shikhon.people"):
        migration.report_phones_breaking_rule(apps, None)
    assert caplog.text == ""


def test_full_clean_refuses_a_stored_number_that_breaks_the_rule():
    user = UserFactory.build(phone="+8801112345678")
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "phone" in exc.value.error_dict


def test_a_person_with_an_old_number_can_still_correct_her_name(accounts):
    from shikhon.people import services

    _, old_operator, _ = accounts
    services.user_update_profile(actor=old_operator, user=old_operator, name_bn="নতুন নাম", name_en="",
                                 gender="", designation="")
    old_operator.refresh_from_db()
    assert (old_operator.name_bn, old_operator.phone) == ("নতুন নাম", "+8801112345678")
