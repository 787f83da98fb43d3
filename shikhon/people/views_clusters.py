"""Clusters of schools, kept by the officers of the upazila (and of the district or division above it)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shikhon.people import services as people_services
from shikhon.people.selectors import user_scope
from shikhon.places.models import Cluster, School, Upazila
from shikhon.places.selectors import parse_pk


class ClusterForm(forms.Form):
    name_bn = forms.CharField(label=gettext_lazy("Name in Bangla"), max_length=120)
    name_en = forms.CharField(label=gettext_lazy("Name in English (optional)"), max_length=120, required=False)
    schools = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Schools in the cluster"), queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: object, upazila: Upazila, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["schools"].queryset = School.objects.filter(  # type: ignore[attr-defined]
            upazila=upazila, is_active=True).order_by("name_bn")


def _upazilas_kept_by(request: HttpRequest) -> list[Upazila]:
    """Upazilas this person is an officer of, directly or through the district or division. Clusters
    are local work: national admins use Django's admin for the rare national correction."""
    scope = user_scope(request.user)  # type: ignore[arg-type]
    return list(Upazila.objects.filter(
        pk__in=scope.officer_upazila_ids) | Upazila.objects.filter(district_id__in=scope.officer_district_ids)
        | Upazila.objects.filter(division_id__in=scope.officer_division_ids))


def _kept_upazila(request: HttpRequest, raw: object) -> Upazila:
    pk = parse_pk(raw)
    for upazila in _upazilas_kept_by(request):
        if upazila.pk == pk:
            return upazila
    raise Http404


def clusters(request: HttpRequest) -> HttpResponse:
    upazilas = _upazilas_kept_by(request)
    if not upazilas:
        raise Http404
    rows = (Cluster.objects.filter(upazila__in=upazilas).select_related("upazila")
            .annotate(n_schools=Count("schools")).order_by("upazila__name_bn", "name_bn")[:300])
    return render(request, "people/clusters.html", {"clusters": rows, "upazilas": upazilas})


def cluster_edit(request: HttpRequest, upazila_pk: str, pk: str | None = None) -> HttpResponse:
    upazila = _kept_upazila(request, upazila_pk)
    cluster = None
    if pk is not None:
        cluster = get_object_or_404(Cluster, upazila=upazila, pk=parse_pk(pk) or 0)
    initial = {"name_bn": cluster.name_bn, "name_en": cluster.name_en,
               "schools": list(cluster.schools.values_list("pk", flat=True))} if cluster else None
    form = ClusterForm(request.POST or None, upazila=upazila, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.cluster_save(
                actor=request.user,  # type: ignore[arg-type]
                upazila=upazila, cluster=cluster, name_bn=form.cleaned_data["name_bn"],
                name_en=form.cleaned_data["name_en"], school_ids=[s.pk for s in form.cleaned_data["schools"]])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and not set(exc.error_dict) <= set(form.fields):
                form.add_error(None, exc.messages)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The cluster was saved."))
            return redirect("people:clusters")
    return render(request, "people/cluster_edit.html", {"form": form, "upazila": upazila, "cluster": cluster})
