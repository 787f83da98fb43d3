from django.urls import path

from shikhon.insights import views

app_name = "insights"
urlpatterns = [path("", views.home, name="home")]

from shikhon.insights import views_audit  # noqa: E402 - health and safety: the audit log page

urlpatterns += [path("audit/", views_audit.audit_log, name="audit")]

from shikhon.insights import views_progress  # noqa: E402 - supervisors: area progress, drilling down to a teacher

urlpatterns += [
    path("progress/", views_progress.progress_home, name="progress"),
    path("progress/teacher/<str:pk>/", views_progress.progress_teacher, name="progress_teacher"),
    path("progress/<str:level>/<str:pk>/", views_progress.progress_place, name="progress_place"),
]
