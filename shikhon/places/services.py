"""Writes for places that are not imports: clusters of schools. Who may call them is decided by the
caller's layer (people), which knows roles; these functions check the data."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shikhon.places.models import Cluster, School, Upazila


def _schools_of(upazila: Upazila, school_ids: Iterable[int]) -> list[School]:
    wanted = set(school_ids)
    schools = list(School.objects.filter(upazila=upazila, pk__in=wanted, is_active=True))
    if len(schools) != len(wanted):
        raise ValidationError({"schools": _("Choose only open schools of this upazila.")}, code="wrong_school")
    return schools


@transaction.atomic
def cluster_save(*, upazila: Upazila, name_bn: str, name_en: str = "", school_ids: Iterable[int],
                 cluster: Cluster | None = None) -> Cluster:
    """Create a cluster (or change one) of schools within one upazila."""
    if cluster is not None and cluster.upazila_id != upazila.pk:
        raise ValidationError(_("A cluster stays in its upazila."), code="wrong_upazila")
    schools = _schools_of(upazila, school_ids)
    cluster = cluster or Cluster(upazila=upazila)
    cluster.name_bn, cluster.name_en = name_bn.strip(), name_en.strip()
    cluster.full_clean(validate_unique=False, validate_constraints=False)  # checked below, in our words
    if Cluster.objects.filter(upazila=upazila, name_bn=cluster.name_bn).exclude(pk=cluster.pk).exists():
        raise ValidationError({"name_bn": _("This upazila already has a cluster with this name.")}, code="duplicate")
    try:
        with transaction.atomic():
            cluster.save()
    except IntegrityError as exc:  # a colleague saved the same name a moment ago
        raise ValidationError({"name_bn": _("This upazila already has a cluster with this name.")},
                              code="duplicate") from exc
    cluster.schools.set(schools)
    return cluster
