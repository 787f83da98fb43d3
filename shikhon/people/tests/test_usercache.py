"""The signed-in person and her scope from the cache (`people.usercache`): no user or roles query on a hit,
and forgotten on every change to her user row or her roles, however it is made."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shikhon.people import roles, usercache
from shikhon.people.models import Role
from shikhon.people.scope import user_scope
from shikhon.people.tests.factories import grant

pytestmark = pytest.mark.django_db


def request_of(client):
    """A request carrying the test client's session, as the middleware sees it."""
    request = RequestFactory().get("/")
    request.session = client.session
    request.session.get("_auth_user_id")  # loaded now: the queries counted below are not the session's
    return request


def scope_now(client):
    return user_scope(usercache.cached_user(request_of(client)))


@pytest.fixture
def rubi(client, people):
    client.force_login(people["teacher_rubi"])
    return people["teacher_rubi"]


def test_a_second_request_reads_neither_her_user_nor_her_roles(client, rubi, people, places):
    first = scope_now(client)
    assert first.school_ids == {places["school_hatia"].pk}
    request = request_of(client)
    with CaptureQueriesContext(connection) as queries:
        user = usercache.cached_user(request)
        again = user_scope(user)
    assert len(queries) == 0
    assert user.pk == rubi.pk and again == first


def test_pages_read_no_user_row_after_the_first(client, rubi):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not any('FROM "people_user" WHERE "people_user"."id"' in q["sql"] for q in queries)


def test_a_role_granted_or_ended_through_the_services_is_seen_at_once(client, rubi, people, places):
    assert places["school_subarnachar"].pk not in scope_now(client).school_ids
    role = roles.role_grant(actor=people["officer_other_upazila"], user=rubi, kind=Role.Kind.TEACHER,
                            school=places["school_subarnachar"])
    assert places["school_subarnachar"].pk in scope_now(client).school_ids
    roles.role_end(actor=people["officer_other_upazila"], role=role)
    assert places["school_subarnachar"].pk not in scope_now(client).school_ids


def test_a_role_made_or_deleted_any_other_way_is_seen_too(client, rubi, places):
    scope_now(client)
    role = grant(rubi, Role.Kind.HEAD_TEACHER, school=places["school_hatia"])  # factory: model save
    assert scope_now(client).head_school_ids == {places["school_hatia"].pk}
    role.delete()
    assert scope_now(client).head_school_ids == frozenset()


def test_an_edited_user_is_read_again(client, rubi):
    scope_now(client)
    rubi.name_bn = "রুবি বেগম"
    rubi.save(update_fields=["name_bn"])
    assert usercache.cached_user(request_of(client)).name_bn == "রুবি বেগম"


def test_a_new_password_signs_out_her_other_sessions(client, rubi):
    scope_now(client)
    rubi.set_password("a-new-password-1234")
    rubi.save(update_fields=["password"])
    assert isinstance(usercache.cached_user(request_of(client)), AnonymousUser)


def test_a_stale_session_hash_is_refused_even_from_the_cache(client, rubi):
    """The entry is fresh, but this session was made for another password: Django's own check decides."""
    scope_now(client)
    session = client.session
    session["_auth_user_hash"] = "0" * 64
    session.save()
    assert isinstance(usercache.cached_user(request_of(client)), AnonymousUser)


def test_a_deactivated_person_is_signed_out(client, rubi):
    scope_now(client)
    rubi.is_active = False
    rubi.save(update_fields=["is_active"])
    assert isinstance(usercache.cached_user(request_of(client)), AnonymousUser)


def test_her_scope_is_worked_out_again_the_next_day(client, rubi, places, monkeypatch):
    role = grant(rubi, Role.Kind.TEACHER, school=places["school_subarnachar"])
    Role.objects.filter(pk=role.pk).update(ends_on=dt.date.today())
    today = scope_now(client)
    assert places["school_subarnachar"].pk in today.school_ids
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    monkeypatch.setattr(usercache, "dhaka_today", lambda: tomorrow)
    user = usercache.cached_user(request_of(client))
    assert not hasattr(user, "_shikhon_scope")  # yesterday's scope is not used


def test_an_entry_built_before_a_change_is_never_used(client, rubi):
    """A request that read the rows before a change stores them under the old version: unused."""
    request = request_of(client)
    user = usercache.cached_user(request)  # entry under version v
    usercache.user_forget(rubi.pk)  # a change elsewhere: version v'
    usercache.remember_scope(user, user_scope(user))  # the slow request stores its scope under v
    request = request_of(client)
    with CaptureQueriesContext(connection) as queries:
        usercache.cached_user(request)
    assert len(queries) == 1  # read again


def test_visitors_and_people_loaded_elsewhere_are_not_cached(client, people):
    assert isinstance(usercache.cached_user(request_of(client)), AnonymousUser)
    usercache.remember_scope(people["teacher_rubi"], user_scope(people["teacher_rubi"]))  # no version: ignored
    client.force_login(people["teacher_rubi"])
    request = request_of(client)
    with CaptureQueriesContext(connection) as queries:
        usercache.cached_user(request)
    assert len(queries) == 1


def test_a_public_page_does_not_load_the_signed_in_person(client, people, monkeypatch):
    loads = []
    real = usercache.cached_user
    monkeypatch.setattr(usercache, "cached_user", lambda request: loads.append(1) or real(request))
    client.force_login(people["teacher_rubi"])
    assert client.get(reverse("offline:manifest")).status_code == 200
    assert loads == []
    assert client.get(reverse("people:profile")).status_code == 200 and loads == [1]
    client.logout()
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302 and reverse("people:sign_in") in response["Location"]


def test_what_a_request_attached_to_her_is_not_kept(client, rubi):
    user = usercache.cached_user(request_of(client))
    user._perm_cache = {"people.anything"}  # as has_perm leaves it
    user_scope(user)
    again = usercache.cached_user(request_of(client))
    assert not hasattr(again, "_perm_cache") and again.pk == rubi.pk and hasattr(again, "_shikhon_scope")
