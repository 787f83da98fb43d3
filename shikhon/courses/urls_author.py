"""The authoring pages, under /author/ (course authors and national admins)."""

from django.urls import URLPattern, URLResolver, path

from shikhon.courses import views_author as v

app_name = "author"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.course_list, name="courses"),
    path("new/", v.course_new, name="course_new"),
    path("review/", v.review_queue, name="review"),
    path("course/<int:pk>/", v.course_edit, name="course"),
    path("course/<int:pk>/modules/", v.module_add, name="module_add"),
    path("course/<int:pk>/submit/", v.course_submit, name="course_submit"),
    path("course/<int:pk>/return/", v.course_return, name="course_return"),
    path("course/<int:pk>/publish/", v.course_publish, name="course_publish"),
    path("course/<int:pk>/new-version/", v.course_new_version, name="course_new_version"),
    path("module/<int:pk>/", v.module_edit, name="module"),
    path("module/<int:pk>/move/", v.module_move, name="module_move"),
    path("module/<int:pk>/delete/", v.module_delete, name="module_delete"),
    path("module/<int:pk>/activities/new/", v.activity_new, name="activity_new"),
    path("module/<int:pk>/quiz/", v.quiz_edit, name="quiz"),
    path("module/<int:pk>/questions/new/", v.question_new, name="question_new"),
    path("activity/<int:pk>/", v.activity_edit, name="activity"),
    path("activity/<int:pk>/video/", v.activity_video, name="activity_video"),
    path("activity/<int:pk>/captions/", v.activity_captions, name="activity_captions"),
    path("activity/<int:pk>/sheet/", v.activity_sheet, name="activity_sheet"),
    path("activity/<int:pk>/move/", v.activity_move, name="activity_move"),
    path("activity/<int:pk>/delete/", v.activity_delete, name="activity_delete"),
    path("question/<int:pk>/", v.question_edit, name="question"),
    path("question/<int:pk>/delete/", v.question_delete, name="question_delete"),
]
