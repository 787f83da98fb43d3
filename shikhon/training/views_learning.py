"""A teacher's learning page (/learn/): her courses with progress, her certificates, her training
invitations and completed trainings, in a handful of queries."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shikhon.certificates.selectors import certificates_of
from shikhon.courses.selectors import learner_enrolments
from shikhon.people.requests import signed_in_user
from shikhon.training import selectors

MAX_SHOWN = 20


def learning_home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    invitations = list(selectors.invitations_of(user)[:MAX_SHOWN])
    return render(request, "training/learning_home.html", {
        "enrolments": learner_enrolments(user)[:MAX_SHOWN],
        "certificates": list(certificates_of(user)[:MAX_SHOWN]),
        "open_invitations": [i for i in invitations if i.completed_at is None and i.batch.status != "completed"],
        "completed_trainings": [i for i in invitations if i.completed_at is not None],
    })
