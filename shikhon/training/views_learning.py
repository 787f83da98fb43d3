"""A teacher's learning page. (Placeholder until the training work lands: lists nothing yet.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def learning_home(request: HttpRequest) -> HttpResponse:
    return render(request, "training/learning_home.html", {})
