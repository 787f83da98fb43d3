from __future__ import annotations

import factory

from shikhon.places.models import Cluster, School, Upazila


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("eiin",)

    eiin = factory.Sequence(lambda n: f"{200000 + n:06d}")
    name_bn = factory.Sequence(lambda n: f"পরীক্ষা সরকারি প্রাথমিক বিদ্যালয় {n}")
    name_en = factory.Sequence(lambda n: f"Test Government Primary School {n}")
    kind = School.Kind.GOVERNMENT_PRIMARY
    upazila = factory.LazyFunction(lambda: Upazila.objects.get(code=46))
    district_id = factory.SelfAttribute("upazila.district_id")
    division_id = factory.SelfAttribute("upazila.division_id")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    upazila = factory.LazyFunction(lambda: Upazila.objects.get(code=46))
    name_bn = factory.Sequence(lambda n: f"ক্লাস্টার {n}")
