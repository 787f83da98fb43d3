from django.urls import URLPattern, URLResolver, path

from shikhon.training import views

app_name = "training"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("programmes/new/", views.programme_edit, name="programme_new"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("batches/new/", views.batch_edit, name="batch_new"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/invite/", views.invite, name="invite"),
    path("batches/<int:pk>/attendance/", views.attendance_today, name="attendance_today"),
    path("batches/<int:pk>/attendance/<str:day>/", views.attendance, name="attendance"),
    path("batches/<int:pk>/complete/", views.complete, name="complete"),
    path("batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("batches/<int:pk>/invitations/<int:invitation_pk>/withdraw/", views.invitation_withdraw,
         name="invitation_withdraw"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("costs/", views.costs, name="costs"),
]
