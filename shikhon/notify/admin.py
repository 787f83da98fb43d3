from django.contrib import admin

from shikhon.notify.models import Notification, SmsPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at", "sms_sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]


@admin.register(SmsPreference)
class SmsPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "sms"]
    raw_id_fields = ["user"]
