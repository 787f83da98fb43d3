"""Django's admin is off unless SHIKHON_ADMIN_ENABLED; when on, wrong passwords are limited (issue 8)."""

import importlib

import pytest
from django.urls import clear_url_caches

from shikhon.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ADMIN_LOGIN = "/django-admin/login/"


@pytest.fixture
def admin_urls(settings):
    import config.urls

    def _mount(enabled: bool) -> None:
        settings.SHIKHON_ADMIN_ENABLED = enabled
        importlib.reload(config.urls)
        clear_url_caches()

    yield _mount
    settings.SHIKHON_ADMIN_ENABLED = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_admin_is_off_by_default(client, settings, admin_urls):
    admin_urls(settings.SHIKHON_ADMIN_ENABLED)
    assert settings.SHIKHON_ADMIN_ENABLED is False
    assert client.get(ADMIN_LOGIN).status_code == 404
    assert client.post(ADMIN_LOGIN, {"username": "01711000007", "password": "x"}).status_code == 404


def test_admin_sign_in_is_limited_when_switched_on(client, settings, admin_urls):
    settings.PASSWORD_SIGN_IN_MAX_PER_PHONE = 3
    admin_urls(True)
    staff = UserFactory(phone="+8801711000555", is_staff=True, is_superuser=True)
    staff.set_password("a-right-password-1")
    staff.save()
    assert client.get(ADMIN_LOGIN).status_code == 200
    for _ in range(3):
        page = client.post(ADMIN_LOGIN, {"username": "+8801711000555", "password": "wrong"})
        assert page.status_code == 200 and "Too many tries" not in page.content.decode()
    # the fourth try is refused even with the right password, and says for how long
    page = client.post(ADMIN_LOGIN, {"username": "+8801711000555", "password": "a-right-password-1"})
    assert page.status_code == 200 and "Wait ১৫ minutes" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_production_settings_keep_the_admin_off(settings):
    from django.conf import settings as live

    assert live.SHIKHON_ADMIN_ENABLED is False


def test_admin_sign_in_with_a_strange_username_is_a_sentence_not_an_error(client, settings, admin_urls):
    """A NUL or spaces in the username are counted under a digest (a cache key cannot hold them)."""
    admin_urls(True)
    for username in ["a\x00b", "  spaced name  ", "x" * 500]:
        page = client.post(ADMIN_LOGIN, {"username": username, "password": "x"})
        assert page.status_code == 200
