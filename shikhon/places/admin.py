from django.contrib import admin

from shikhon.places.models import Cluster, District, Division, School, Union, Upazila


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_bn", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_bn", "division", "code"]
    list_filter = ["division"]


@admin.register(Upazila)
class UpazilaAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_bn", "district", "code"]
    search_fields = ["name_en", "name_bn"]


@admin.register(Union)
class UnionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_bn", "upazila", "code"]
    search_fields = ["name_en", "name_bn"]
    raw_id_fields = ["upazila"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["eiin", "name_bn", "name_en", "kind", "upazila", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["eiin", "name_bn", "name_en"]
    raw_id_fields = ["upazila", "union", "district", "division"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name_bn", "name_en", "upazila"]
    raw_id_fields = ["upazila"]
    filter_horizontal = ["schools"]
