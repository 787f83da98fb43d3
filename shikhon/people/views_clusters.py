"""Clusters of schools, kept by the officers of the upazila (and of the district or division above it)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shikhon.people import services as people_services
from shikhon.people.permissions import can_keep_clusters
from shikhon.people.requests import signed_in_user
from shikhon.people.selectors import access_cluster, access_kept_upazila, clusters_kept_by, upazilas_kept_by
from shikhon.places.models import School, Upazila


class ClusterForm(forms.Form):
    name_bn = forms.CharField(label=gettext_lazy("Name in Bangla"), max_length=120)
    name_en = forms.CharField(label=gettext_lazy("Name in English (optional)"), max_length=120, required=False)
    schools = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Schools in the cluster"), queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, upazila: Upazila, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = cast("forms.ModelMultipleChoiceField[School]", self.fields["schools"])
        schools.queryset = School.objects.filter(upazila=upazila, is_active=True).order_by("name_bn")


def clusters(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_keep_clusters(user):
        raise Http404
    upazilas = list(upazilas_kept_by(user))
    rows = clusters_kept_by(user)[:300]
    return render(request, "people/clusters.html", {"clusters": rows, "upazilas": upazilas})


def cluster_edit(request: HttpRequest, upazila_pk: str, pk: str | None = None) -> HttpResponse:
    user = signed_in_user(request)
    upazila = access_kept_upazila(user, upazila_pk)
    cluster = None
    if pk is not None:
        cluster = access_cluster(user, pk)
        if cluster.upazila_id != upazila.pk:
            raise Http404
    initial = {"name_bn": cluster.name_bn, "name_en": cluster.name_en,
               "schools": list(cluster.schools.values_list("pk", flat=True))} if cluster else None
    form = ClusterForm(request.POST or None, upazila=upazila, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.cluster_save(
                actor=user,
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
