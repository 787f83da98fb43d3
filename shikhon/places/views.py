"""Browse the country: division → district → upazila → school, and school search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from shikhon.places.models import District, Division, School, Upazila


def browse(request: HttpRequest) -> HttpResponse:
    return render(request, "places/browse.html", {"divisions": Division.objects.all()})


def division(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Division, pk=pk)
    return render(request, "places/division.html", {"division": obj, "districts": obj.districts.all()})


def district(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(District.objects.select_related("division"), pk=pk)
    return render(request, "places/district.html", {"district": obj, "upazilas": obj.upazilas.all()})


def upazila(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Upazila.objects.select_related("district__division"), pk=pk)
    return render(request, "places/upazila.html", {"upazila": obj})


def school(request: HttpRequest, eiin: str) -> HttpResponse:
    obj = get_object_or_404(School.objects.select_related("upazila", "district", "division"), eiin=eiin)
    return render(request, "places/school.html", {"school": obj})
