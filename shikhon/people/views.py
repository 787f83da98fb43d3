"""Sign-in by SMS code (and password for officers), sign-out, profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shikhon.core import ratelimit
from shikhon.core.middleware import client_ip
from shikhon.people import services
from shikhon.people.forms import CodeForm, PasswordForm, PasswordSignInForm, PhoneForm, ProfileForm

SESSION_PHONE = "signin_phone"
SESSION_NEXT = "signin_next"
SESSION_DEMO_CODE = "signin_demo_code"


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("insights:home")


def _add_errors(form: object, exc: ValidationError) -> None:
    form.add_error(None, exc)  # type: ignore[attr-defined]


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the person types their mobile number and we text a code."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.login_code_request(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            request.session[SESSION_PHONE] = result.phone
            request.session[SESSION_NEXT] = safe_next(request, request.POST.get("next"))
            if result.demo_code:
                request.session[SESSION_DEMO_CODE] = result.demo_code
            else:
                request.session.pop(SESSION_DEMO_CODE, None)
            return redirect("people:sign_in_code")
    return render(request, "people/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@login_not_required
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the person types the code from the SMS."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("people:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_code_verify(phone=phone, code=form.cleaned_data["code"], ip=client_ip(request))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            target = request.session.get(SESSION_NEXT) or reverse("insights:home")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request, target))
    from shikhon.people.phone import national_format

    return render(request, "people/sign_in_code.html", {
        "form": form, "phone": national_format(phone), "demo_code": request.session.get(SESSION_DEMO_CODE),
    })


@login_not_required
def sign_in_password(request: HttpRequest) -> HttpResponse:
    """Officers who set a password may use it instead of a code."""
    form = PasswordSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit(key=f"pw-ip:{ip}", limit=20, window_seconds=900) or not ratelimit.hit(
            key=f"pw-phone:{form.cleaned_data['phone']}", limit=10, window_seconds=900
        ):
            form.add_error(None, _("Too many tries. Wait 15 minutes, then try again."))
        else:
            user = authenticate(request, phone=form.cleaned_data["phone"], password=form.cleaned_data["password"])
            if user is None:
                form.add_error(None, _("The mobile number or password is not right."))
            else:
                login(request, user)
                return redirect(safe_next(request, request.POST.get("next")))
    return render(request, "people/sign_in_password.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("insights:home")


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **{  # type: ignore[arg-type]
                f: form.cleaned_data[f] for f in ("name_bn", "name_en", "gender", "designation")})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("people:profile")
    from shikhon.people.selectors import roles_of, user_scope

    return render(request, "people/profile.html", {
        "form": form, "roles": roles_of(user), "may_set_password": user_scope(user).is_officer,  # type: ignore[arg-type]
    })


def password_set(request: HttpRequest) -> HttpResponse:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from shikhon.people.selectors import user_scope

    if not user_scope(request.user).is_officer:  # type: ignore[arg-type]
        raise Http404
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=request.user,  # type: ignore[arg-type]
                                       password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your password was set. You can now sign in with it."))
            return redirect("people:profile")
    return render(request, "people/password_set.html", {"form": form})


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    """A teacher signs up with phone, name and school; the membership waits for approval."""
    from shikhon.people import roles
    from shikhon.people.forms import RegisterForm

    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roles.teacher_register(phone=data["phone"], name_bn=data["name_bn"], name_en=data["name_en"],
                                   school=data["school"], kind=data["kind"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("You are registered. Sign in with the code we send you; "
                                        "your head teacher or upazila officer will approve your membership."))
            try:
                result = services.login_code_request(phone=data["phone"], ip=client_ip(request))
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("people:sign_in")
            request.session[SESSION_PHONE] = result.phone
            request.session[SESSION_NEXT] = reverse("insights:home")
            if result.demo_code:
                request.session[SESSION_DEMO_CODE] = result.demo_code
            return redirect("people:sign_in_code")
    return render(request, "people/register.html", {"form": form})


def join(request: HttpRequest) -> HttpResponse:
    from shikhon.people import roles
    from shikhon.people.forms import JoinForm

    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roles.membership_request(actor=request.user, school=form.cleaned_data["school"],  # type: ignore[arg-type]
                                     kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent. You will get an SMS when it is approved."))
            return redirect("insights:home")
    return render(request, "people/join.html", {"form": form})


def approvals(request: HttpRequest) -> HttpResponse:
    """Pending memberships the viewer may decide: head teachers (own school), officers (their area)."""
    from django.core.paginator import Paginator
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from shikhon.people import roles
    from shikhon.people.models import Role
    from shikhon.people.permissions import pending_roles_decidable_by

    visible = Role.objects.filter(pending_roles_decidable_by(request.user))  # type: ignore[arg-type]
    if request.method == "POST":
        role = get_object_or_404(visible, pk=request.POST.get("role") if str(request.POST.get("role", "")).isdigit()
                                 else None)
        decision = request.POST.get("decision")
        if decision not in {"approve", "reject"}:
            raise Http404
        try:
            roles.membership_decide(actor=request.user, role=role, approve=decision == "approve")  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Approved.") if decision == "approve" else _("Rejected."))
        return redirect("people:approvals")
    page = Paginator(visible.select_related("user", "school").order_by("created_at"), 25).get_page(
        request.GET.get("page"))
    return render(request, "people/approvals.html", {"page": page})


def invite(request: HttpRequest) -> HttpResponse:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from shikhon.people import roles
    from shikhon.people.forms import InviteForm
    from shikhon.people.permissions import can_invite

    if not can_invite(request.user):  # type: ignore[arg-type]
        raise Http404
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roles.teacher_invite(actor=request.user, phone=data["phone"], name_bn=data["name_bn"],  # type: ignore[arg-type]
                                 school=data["school"], kind=data["kind"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error("school", _("You may only add teachers to schools in your own area."))
        else:
            messages.success(request, _("The teacher was added and told by SMS."))
            return redirect("people:invite")
    return render(request, "people/invite.html", {"form": form})
