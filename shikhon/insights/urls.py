from django.urls import path

from shikhon.insights import views

app_name = "insights"
urlpatterns = [path("", views.home, name="home")]

from shikhon.insights import views_audit  # noqa: E402 - health and safety: the audit log page

urlpatterns += [path("audit/", views_audit.audit_log, name="audit")]
