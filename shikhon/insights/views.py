"""The role-aware home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shikhon.insights import selectors
from shikhon.people.requests import signed_in_user


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "insights/welcome.html", selectors.public_counts())
    return render(request, "insights/home.html", selectors.home_for(signed_in_user(request)))
