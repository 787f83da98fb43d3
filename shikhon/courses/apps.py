from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "shikhon.courses"
    label = "courses"
    verbose_name = "Courses"
