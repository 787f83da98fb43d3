from django.urls import path

from shikhon.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("sms/", views.sms_settings, name="sms_settings"),
]
