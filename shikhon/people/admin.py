from django.contrib import admin

from shikhon.people.models import AccessToken, Role, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["phone", "name_bn", "name_en", "is_active", "date_joined"]
    search_fields = ["phone", "name_bn", "name_en"]
    exclude = ["password"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "status", "school", "upazila", "district", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["user", "school", "upazila", "district", "division", "granted_by", "decided_by"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["token_hash"]
