from django.urls import URLPattern, URLResolver, path

from shikhon.courses import views

app_name = "courses"
urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", views.course_detail, name="detail"),
    path("courses/<slug:slug>/enrol/", views.course_enrol, name="enrol"),
    path("courses/<slug:slug>/continue/", views.course_continue, name="continue"),
    path("modules/<int:pk>/", views.module_detail, name="module"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/progress/", views.activity_progress, name="activity_progress"),
    path("activities/<int:pk>/sheet.pdf", views.activity_sheet, name="activity_sheet"),
    # Files people uploaded, each behind the visibility of the object that owns it (decision 0007).
    path("activities/<int:pk>/sheet-file", views.activity_sheet_file, name="activity_sheet_file"),
    path("questions/<int:pk>/picture", views.question_picture, name="question_picture"),
    path("a/", views.code_lookup, name="code_lookup"),
    path("a/<str:code>/", views.short_code, name="short_code"),
    path("quizzes/<int:pk>/", views.quiz_detail, name="quiz"),
    path("quizzes/<int:pk>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt_submit"),
]
