"""Sign-in by SMS code (and password for officers), sign-out, profile, registration, approvals,
invitations and the roles page. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from shikhon.core import ratelimit
from shikhon.core.middleware import client_ip
from shikhon.people import permissions, roles, selectors, services
from shikhon.people.forms import (
    CodeForm,
    InviteForm,
    JoinForm,
    PasswordForm,
    PasswordSignInForm,
    PhoneForm,
    ProfileForm,
    RegisterForm,
    RoleGrantForm,
)
from shikhon.people.models import User
from shikhon.people.phone import national_format
from shikhon.people.requests import signed_in_user
from shikhon.places.models import School

SESSION_PHONE = "signin_phone"
SESSION_NEXT = "signin_next"
# Demo mode only: the code rides back to the browser in a short-lived signed cookie (never in the
# session, the database or a log), because the page that follows must show it.
DEMO_COOKIE = "signin_demo"
DEMO_COOKIE_SALT = "shikhon.people.demo-code"
# A signed random cookie set by the sign-in and registration pages: the "device" a code request comes
# from, so limits count per number *and* requester (decision 0002). It identifies nothing else.
DEVICE_COOKIE = "shikhon_device"
DEVICE_COOKIE_SALT = "shikhon.people.device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
# Registration waits here until the code proves the phone is hers: phone, names, school id, kind.
SESSION_REGISTER = "register_pending"
PAGE_SIZE = 25
MAX_ID_DIGITS = 18


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` when it is a path on this site; otherwise the home page (no open redirects)."""
    if candidate and len(candidate) <= 2000 and candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("insights:home")


def _id_or_none(value: object) -> int | None:
    text = str(value or "")
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it,
    otherwise at the top of the form (never a 500 for a field the form does not show)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _start_code_step(request: HttpRequest, response_to: str, result: services.CodeRequest, next_url: str
                     ) -> HttpResponse:
    request.session[SESSION_PHONE] = result.phone
    request.session[SESSION_NEXT] = next_url
    response = redirect(response_to)
    if result.demo_code:
        response.set_signed_cookie(
            DEMO_COOKIE, result.demo_code, salt=DEMO_COOKIE_SALT, max_age=settings.LOGIN_CODE_TTL_SECONDS,
            httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(DEMO_COOKIE)
    return response


def _device(request: HttpRequest) -> str | None:
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT,
                                      max_age=DEVICE_COOKIE_AGE)
    return value if isinstance(value, str) and len(value) <= 64 else None


def _with_device_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give this browser its device cookie when it has none (sign-in and registration pages)."""
    if _device(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(24), salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_AGE,
            httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


# ---------------------------------------------------------------- sign in and out


@login_not_required
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the person types their mobile number and we text a code. The answer is the same
    whether or not the number has an account."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.login_code_request(phone=form.cleaned_data["phone"], ip=client_ip(request),
                                                 device=_device(request))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            request.session.pop(SESSION_REGISTER, None)
            return _with_device_cookie(request, _start_code_step(
                request, "people:sign_in_code", result, safe_next(request, request.POST.get("next"))))
    next_url = request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    return _with_device_cookie(request, render(request, "people/sign_in.html",
                                               {"form": form, "next": safe_next(request, next_url)}))


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the person types the code from the SMS."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("people:sign_in")
    form = CodeForm(request.POST or None)
    stored = request.session.get(SESSION_REGISTER)
    pending: dict[str, Any] = stored if isinstance(stored, dict) and stored.get("phone") == phone else {}
    registering = bool(pending)
    if request.method == "POST" and form.is_valid():
        try:
            if registering:
                user = _finish_registration(request, pending, form.cleaned_data["code"])
            else:
                user = services.login_code_verify(phone=phone, code=form.cleaned_data["code"],
                                                  ip=client_ip(request))
        except ValidationError as exc:
            _add_errors(form, exc)
        except _RegistrationFailed as failed:
            for key in (SESSION_PHONE, SESSION_NEXT, SESSION_REGISTER):
                request.session.pop(key, None)
            for sentence in failed.sentences:
                messages.error(request, sentence)
            return redirect("people:register")
        else:
            target = safe_next(request, request.session.get(SESSION_NEXT))
            for key in (SESSION_PHONE, SESSION_NEXT, SESSION_REGISTER):
                request.session.pop(key, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            response = redirect(target)
            response.delete_cookie(DEMO_COOKIE)
            return response
    demo_code = None
    if settings.SHIKHON_DEMO_MODE:
        demo_code = request.get_signed_cookie(DEMO_COOKIE, default=None, salt=DEMO_COOKIE_SALT,
                                              max_age=settings.LOGIN_CODE_TTL_SECONDS)
    return render(request, "people/sign_in_code.html", {
        "form": form, "phone": national_format(phone), "demo_code": demo_code,
    })


@login_not_required
@never_cache
@sensitive_post_parameters("password")
def sign_in_password(request: HttpRequest) -> HttpResponse:
    """Officers who set a password may use it instead of a code. Limited per address and per
    number; a person who is no longer an officer cannot use their old password."""
    form = PasswordSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request) or "unknown"
        phone = form.cleaned_data["phone"]
        if not services.password_attempt_allowed(ip=ip, phone=phone):
            form.add_error(None, services.too_many_tries(window_seconds=settings.PASSWORD_SIGN_IN_WINDOW_SECONDS))
        else:
            user = authenticate(request, phone=phone, password=form.cleaned_data["password"])
            if not isinstance(user, User) or not (permissions.can_set_password(user) or user.is_staff):
                form.add_error(None, _("The mobile number or password is not right. "
                                       "Check them, or sign in with an SMS code."))
            else:
                login(request, user)
                return redirect(safe_next(request, request.POST.get("next")))
    next_url = request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    return render(request, "people/sign_in_password.html", {"form": form, "next": safe_next(request, next_url)})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("insights:home")
    # The next person on this phone finds none of her saved modules, outbox or cached pages, even if the
    # page's own script (which clears them first) did not run.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


# ---------------------------------------------------------------- profile and password


def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ProfileForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("people:profile")
    return render(request, "people/profile.html", {
        "form": form, "roles": selectors.roles_of(user)[:50],
        "may_set_password": permissions.can_set_password(user),
        "may_manage_roles": permissions.can_manage_roles(user),
        "may_keep_tokens": permissions.can_keep_tokens(user),
    })


@never_cache
@sensitive_post_parameters("password", "password2")
def password_set(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.can_set_password(user):
        raise Http404
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was set. You can now sign in with it."))
            return redirect("people:profile")
    return render(request, "people/password_set.html", {"form": form})


# ---------------------------------------------------------------- registration and membership


class _RegistrationFailed(Exception):
    """The code was right (and is used up), but the details kept since the form no longer register her (the
    school closed meanwhile): she goes back to the form with the sentences, not to a spent code page."""

    def __init__(self, sentences: list[str]) -> None:
        super().__init__(*sentences)
        self.sentences = sentences


def _finish_registration(request: HttpRequest, pending: dict[str, Any], code: str) -> User:
    """After the code: she proved the number is hers. Only now is she told whether it already had an
    account (then she is simply signed in); otherwise the account and the membership are made."""
    user = services.phone_code_verify(phone=pending["phone"], code=code, ip=client_ip(request))
    if user is not None:
        messages.info(request, _("This number already has an account, so nothing new was registered. "
                                 "You are signed in."))
        return user
    school_id = _id_or_none(pending.get("school"))
    school = School.objects.filter(pk=school_id).first() if school_id is not None else None
    if school is None:
        raise _RegistrationFailed([_("This school is closed. Check the EIIN.")])
    try:
        role = roles.teacher_register(phone=pending["phone"], name_bn=pending.get("name_bn", ""),
                                      name_en=pending.get("name_en", ""), school=school,
                                      kind=pending.get("kind", ""))
    except ValidationError as exc:
        raise _RegistrationFailed(exc.messages) from exc
    messages.success(request, _("You are registered. Your head teacher or upazila officer will approve "
                                "your membership."))
    return role.user


@login_not_required
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    """A teacher signs up with phone, name and school; the membership waits for approval.

    A registered number and a new one get the same answer and the same SMS: the code page. What
    differs is said only after the code proves the phone is hers (`_finish_registration`), so the
    page tells a stranger nothing about whether a number has an account."""
    if request.user.is_authenticated:
        return redirect("people:join")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        limit = getattr(settings, "SHIKHON_REGISTER_MAX_PER_IP_PER_HOUR", 20)
        if not ratelimit.hit(key=f"register-ip:{client_ip(request) or 'unknown'}", limit=limit,
                             window_seconds=3600):
            form.add_error(None, _("Too many registrations from this network. Wait an hour, then try again."))
        else:
            try:
                result = services.login_code_request(phone=data["phone"], ip=client_ip(request),
                                                     device=_device(request), for_registration=True)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                request.session[SESSION_REGISTER] = {
                    "phone": result.phone, "name_bn": data["name_bn"], "name_en": data["name_en"],
                    "school": data["school"].pk, "kind": data["kind"],
                }
                # Back to where she started (a course page she wanted to enrol in), else her home.
                return _with_device_cookie(request, _start_code_step(
                    request, "people:sign_in_code", result, safe_next(request, request.POST.get("next"))))
    next_url = request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    return _with_device_cookie(request, render(request, "people/register.html",
                                               {"form": form, "next": safe_next(request, next_url)}))


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roles.membership_request(actor=signed_in_user(request), school=form.cleaned_data["school"],
                                     kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent. You will get an SMS when it is approved."))
            return redirect("insights:home")
    return render(request, "people/join.html", {"form": form})


def approvals(request: HttpRequest) -> HttpResponse:
    """Pending memberships the viewer may decide: head teachers (teachers of their own school),
    officers (their area), national admins (all). Nobody else has this page."""
    user = signed_in_user(request)
    if not permissions.can_approve(user):
        raise Http404
    if request.method == "POST":
        role = selectors.access_role_to_decide(user, request.POST.get("role"))
        decision = request.POST.get("decision")
        if decision not in {"approve", "reject"}:
            raise Http404
        try:
            role = roles.membership_decide(actor=user, role=role, approve=decision == "approve")
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            names = {"name": role.user.display_name, "school": role.school.name if role.school else ""}
            if decision == "approve":
                messages.success(request, _("%(name)s is now a member of %(school)s.") % names)
            else:
                messages.success(request, _("The request of %(name)s to join %(school)s was rejected.") % names)
        return redirect("people:approvals")
    page = Paginator(selectors.pending_approvals(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/approvals.html", {"page": page})


def invite(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.can_invite(user):
        raise Http404
    kinds = permissions.grantable_kinds(user) & roles.SCHOOL_KINDS
    form = InviteForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roles.teacher_invite(actor=user, phone=data["phone"], name_bn=data["name_bn"],
                                 school=data["school"], kind=data["kind"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error("school", _("You can add teachers only to schools in your own area. Check the EIIN."))
        else:
            messages.success(request, _("The teacher was added and told by SMS."))
            return redirect("people:invite")
    return render(request, "people/invite.html", {"form": form})


# ---------------------------------------------------------------- roles page (officers)


def roles_page(request: HttpRequest) -> HttpResponse:
    """Officers and national admins: grant a role by phone over a place in their area, and list
    and end the roles of their area."""
    user = signed_in_user(request)
    if not permissions.can_manage_roles(user):
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "end":
        role = selectors.access_role_to_end(user, request.POST.get("role"))
        try:
            roles.role_end(actor=user, role=role)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("The role was ended. From today it gives no access."))
        return redirect("people:roles")

    upazilas, districts, divisions = selectors.grant_places(user)
    form = RoleGrantForm(request.POST or None, kinds=permissions.grantable_kinds(user), upazilas=upazilas,
                         districts=districts, divisions=divisions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roles.role_grant_by_phone(
                actor=user, phone=data["phone"], name_bn=data["name_bn"], kind=data["kind"],
                school=data.get("school"), upazila=data.get("upazila"), district=data.get("district"),
                division=data.get("division"), ends_on=data.get("ends_on"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not give this role at this place. Choose a place in your own area."))
        else:
            messages.success(request, _("The role was given."))
            return redirect("people:roles")

    phone_filter = selectors.phone_query(request.GET.get("phone"))
    listed = selectors.roles_in_area(user, phone=phone_filter)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    endable_role_ids = {role.pk for role in page if permissions.can_end(user, role)}
    query_string = urlencode({"phone": phone_filter}) if phone_filter else ""
    return render(request, "people/roles.html", {
        "form": form, "page": page, "endable_role_ids": endable_role_ids, "phone_filter": phone_filter or "",
        "query_string": query_string,
    })
