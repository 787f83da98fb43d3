"""Personal access tokens for the API: list mine, make one (its secret shown once), revoke one. Only for
officers, national admins and researchers (`permissions.can_keep_tokens`); everyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shikhon.people import permissions, services
from shikhon.people.models import AccessToken, User
from shikhon.people.requests import signed_in_user

PER_PAGE = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"), max_length=80, strip=True,
        help_text=gettext_lazy("Say where you will use it, for example “attendance spreadsheet”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _my_tokens(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def _token_keeper(request: HttpRequest) -> User:
    """The signed-in person, if the tokens page is hers to see; 404 otherwise, as if it did not exist."""
    user = signed_in_user(request)
    if not permissions.can_keep_tokens(user):
        raise Http404
    return user


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = _token_keeper(request)
    form = TokenForm(request.POST or None)
    created: AccessToken | None = None
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.access_token_create(actor=user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    page = Paginator(_my_tokens(user), PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, "people/tokens.html", {
        "form": form, "page": page, "tokens": page.object_list, "created": created, "secret": secret,
    })
    if secret:
        # The secret is in this page only: never keep it in a cache or the browser's history.
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _token_keeper(request)
    # Someone else's token answers 404, exactly like one that does not exist.
    token = get_object_or_404(AccessToken, pk=pk, user=user)
    services.access_token_revoke(actor=user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked. Programs using it can no longer sign in.")
                     % {"name": token.name})
    return redirect("people:tokens")
