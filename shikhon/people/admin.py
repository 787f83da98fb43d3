"""Django admin for support staff. Roles are granted and ended on the roles page (audited); here
the role's history fields are read-only, and numbers are found however they are typed."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from shikhon.core.middleware import client_ip
from shikhon.people import services
from shikhon.people.models import AccessToken, Role, User
from shikhon.people.phone import normalize_phone


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, limited like the officers' password sign-in (per address and per number,
    the same counters). The site itself is mounted only with SHIKHON_ADMIN_ENABLED (config/urls.py)."""

    def clean(self) -> dict[str, Any]:
        typed = str(self.data.get("username", ""))[:40]
        try:
            phone = normalize_phone(typed)
        except ValidationError:  # counted under a digest: a typed key may hold NUL or spaces
            phone = "typed:" + hashlib.sha256(typed.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        if not services.password_attempt_allowed(ip=client_ip(self.request) if self.request else None,
                                                 phone=phone):
            raise ValidationError(
                services.too_many_tries(window_seconds=settings.PASSWORD_SIGN_IN_WINDOW_SECONDS),
                code="rate_limited")
        return super().clean()


admin.site.login_form = LimitedAdminAuthenticationForm


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["phone", "name_bn", "name_en", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["phone", "name_bn", "name_en"]
    exclude = ["password"]
    readonly_fields = ["last_login", "date_joined"]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
                           ) -> tuple[QuerySet[Any], bool]:
        # "01712-345678" or "০১৭১২৩৪৫৬৭৮" finds the person stored as +8801712345678.
        try:
            phone = normalize_phone(search_term)
        except ValidationError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(phone=phone), False


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "status", "school", "upazila", "district", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["user", "school", "upazila", "district", "division"]
    search_fields = ["user__phone", "school__eiin"]
    raw_id_fields = ["user", "school", "upazila", "district", "division", "granted_by", "decided_by"]
    readonly_fields = ["granted_by", "decided_by", "decided_at", "created_at"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["token_hash", "prefix", "created_at", "last_used_at"]
