"""`signed_in_user`: the signed-in person of a request, and 403 for a visitor who is not signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from shikhon.people.models import User
from shikhon.people.requests import signed_in_user


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_signed_in_person_is_returned_as_she_is():
    user = User(phone="+8801711000001")
    assert signed_in_user(_request(user)) is user


def test_the_lazy_person_the_middleware_sets_counts_as_signed_in():
    user = User(phone="+8801711000001")
    lazy = SimpleLazyObject(lambda: user)
    assert signed_in_user(_request(lazy)) is lazy
    assert signed_in_user(_request(lazy)).phone == user.phone


@pytest.mark.parametrize("visitor", [AnonymousUser(), SimpleLazyObject(AnonymousUser)])
def test_a_visitor_who_is_not_signed_in_is_refused(visitor):
    with pytest.raises(PermissionDenied):
        signed_in_user(_request(visitor))
