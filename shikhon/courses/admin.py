"""Simple admin registration of the course models (day-to-day authoring happens on /author/)."""

from django.contrib import admin

from shikhon.courses.models import Activity, Choice, Course, Enrolment, Module, Question, Quiz


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ("position", "title")


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "status", "slug", "published_at")
    list_filter = ("status", "subject")
    search_fields = ("title", "slug")
    raw_id_fields = ("created_by", "published_by")
    filter_horizontal = ("prerequisites",)
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "position")
    list_select_related = ("course",)
    search_fields = ("title",)
    raw_id_fields = ("course",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "module", "position", "short_code")
    list_select_related = ("module",)
    search_fields = ("title", "short_code")
    raw_id_fields = ("module", "video")


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("module", "pass_percent", "questions_per_attempt", "max_attempts")
    list_select_related = ("module",)
    raw_id_fields = ("module",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "quiz", "kind", "position")
    list_select_related = ("quiz__module",)
    raw_id_fields = ("quiz",)
    inlines = [ChoiceInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "enrolled_at", "completed_at")
    list_select_related = ("user", "course")
    raw_id_fields = ("user", "course", "last_activity")
