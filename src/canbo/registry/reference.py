"""Loading reference data from real sources, never typed by hand.

* Administrative units come from the pinned ``vietnam-provinces`` package:
  the legacy three-tier list (63 provinces, 696 districts, 10,051
  commune-level units, as of January 2025) ending on 30/06/2025, the
  two-tier list (34 provinces, 3,321 commune-level units) beginning on
  01/07/2025, and the package's official conversion table linking each old
  unit to the new one(s) it became part of on 01/07/2025.
* Titles come from ``canbo/data/titles.yaml`` (each with its legal reference).

Loading is idempotent: units and titles already present are left as they
are, so it can run at every start.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import vietnam_provinces
import yaml
from django.db import transaction

from .models import LineageKind, Title, Unit, UnitKind, UnitLevel, UnitLineage

REFORM_DATE = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)
SOURCE = f"vietnam-provinces {vietnam_provinces.__version__} (dữ liệu {vietnam_provinces.__data_version__})"
REFORM_REFERENCE = "NQ 202/2025/QH15; các nghị quyết của UBTVQH về sắp xếp ĐVHC cấp xã năm 2025"

_KIND = {
    "tỉnh": UnitKind.PROVINCE,
    "thành phố trung ương": UnitKind.CITY,
    "huyện": UnitKind.RURAL_DISTRICT,
    "quận": UnitKind.URBAN_DISTRICT,
    "thị xã": UnitKind.TOWN,
    "thành phố": UnitKind.PROVINCIAL_CITY,
    "xã": UnitKind.COMMUNE,
    "phường": UnitKind.WARD,
    "thị trấn": UnitKind.TOWNSHIP,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}


def unit_code(level: str, number: int) -> str:
    """Official codes are zero-padded: 2 digits for provinces, 3 for districts, 5 for communes."""
    width = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}[level]
    return f"{int(number):0{width}d}"


@transaction.atomic
def load_units(only_provinces: set[int] | None = None) -> dict[str, int]:
    """Create every administrative unit and the 1/7/2025 lineage; return counts
    of what was created. ``only_provinces`` (legacy province numbers) limits the
    load, for small test databases."""
    from vietnam_provinces import _lookup as new
    from vietnam_provinces import _province_conversion_2025 as pconv
    from vietnam_provinces import _ward_conversion_2025 as wconv
    from vietnam_provinces.legacy import _lookup as old

    if Unit.objects.filter(source=SOURCE).exists():
        return {"created": 0}

    def wanted_old(province: int) -> bool:
        return only_provinces is None or province in only_provinces

    wanted_new_provinces = None
    if only_provinces is not None:
        wanted_new_provinces = {
            n.code for p in only_provinces if p in pconv.OLD_TO_NEW for n in pconv.OLD_TO_NEW[p].new_provinces
        }

    def wanted_new(province: int) -> bool:
        return wanted_new_provinces is None or province in wanted_new_provinces

    def make(level, number, name, division_type, parent, valid_from, valid_to) -> Unit:
        return Unit(
            code=unit_code(level, number),
            name=name,
            level=level,
            kind=_KIND[str(division_type)],
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
            source=SOURCE,
        )

    # Legacy three-tier era, ending 30/06/2025.
    old_provinces = Unit.objects.bulk_create(
        make(UnitLevel.PROVINCE, p.code, p.name, p.division_type, None, None, LEGACY_END)
        for p in old.PROVINCE_MAPPING.values()
        if wanted_old(int(p.code))
    )
    old_province_by_no = {int(u.code): u for u in old_provinces}
    old_districts = Unit.objects.bulk_create(
        make(UnitLevel.DISTRICT, d.code, d.name, d.division_type, old_province_by_no[int(d.province_code)], None, LEGACY_END)
        for d in old.DISTRICT_MAPPING.values()
        if int(d.province_code) in old_province_by_no
    )
    old_district_by_no = {int(u.code): u for u in old_districts}
    old_communes = Unit.objects.bulk_create(
        make(UnitLevel.COMMUNE, w.code, w.name, w.division_type, old_district_by_no[int(w.district_code)], None, LEGACY_END)
        for w in old.WARD_MAPPING.values()
        if int(w.district_code) in old_district_by_no
    )
    old_commune_by_no = {int(u.code): u for u in old_communes}

    # Two-tier era from 01/07/2025.
    new_provinces = Unit.objects.bulk_create(
        make(UnitLevel.PROVINCE, p.code, p.name, p.division_type, None, REFORM_DATE, None)
        for p in new.PROVINCE_MAPPING.values()
        if wanted_new(int(p.code))
    )
    new_province_by_no = {int(u.code): u for u in new_provinces}
    new_communes = Unit.objects.bulk_create(
        make(UnitLevel.COMMUNE, w.code, w.name, w.division_type, new_province_by_no[int(w.province_code)], REFORM_DATE, None)
        for w in new.WARD_MAPPING.values()
        if int(w.province_code) in new_province_by_no
    )
    new_commune_by_no = {int(u.code): u for u in new_communes}

    links = []
    for old_no, entry in pconv.OLD_TO_NEW.items():
        if old_no not in old_province_by_no:
            continue
        for i, ref in enumerate(entry.new_provinces):
            if ref.code in new_province_by_no:
                links.append(
                    UnitLineage(
                        predecessor=old_province_by_no[old_no],
                        successor=new_province_by_no[ref.code],
                        date=REFORM_DATE,
                        kind=LineageKind.MERGED if len(entry.new_provinces) == 1 else LineageKind.PARTLY_MERGED,
                        is_primary=i == 0,
                        legal_reference=REFORM_REFERENCE,
                    )
                )
    for old_no, entry in wconv.OLD_TO_NEW.items():
        if old_no not in old_commune_by_no:
            continue
        partly = entry.old_ward.is_partly_merged or len(entry.new_wards) > 1
        for i, ref in enumerate(entry.new_wards):
            if ref.code in new_commune_by_no:
                links.append(
                    UnitLineage(
                        predecessor=old_commune_by_no[old_no],
                        successor=new_commune_by_no[ref.code],
                        date=REFORM_DATE,
                        kind=LineageKind.PARTLY_MERGED if partly else LineageKind.MERGED,
                        is_primary=i == 0,
                        legal_reference=REFORM_REFERENCE,
                    )
                )
    UnitLineage.objects.bulk_create(links, batch_size=2000)
    return {
        "legacy_provinces": len(old_provinces),
        "districts": len(old_districts),
        "legacy_communes": len(old_communes),
        "provinces": len(new_provinces),
        "communes": len(new_communes),
        "lineage": len(links),
    }


def title_catalogue() -> list[dict]:
    """The title catalogue as read from ``titles.yaml``."""
    text = resources.files("canbo.data").joinpath("titles.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@transaction.atomic
def load_titles() -> int:
    """Create the titles of ``titles.yaml`` that are not yet stored; return how many."""
    existing = set(Title.objects.values_list("code", flat=True))
    created = []
    for row in title_catalogue():
        if row["code"] in existing:
            continue
        reference = row["reference"]
        if row.get("verified") is False and "chưa kiểm chứng" not in reference:
            reference += " (chưa kiểm chứng)"
        created.append(
            Title(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                is_leadership=bool(row.get("leadership", False)),
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
                legal_reference=reference,
                sort_order=row.get("order", 100),
            )
        )
    Title.objects.bulk_create(created)
    return len(created)


def load_reference(only_provinces: set[int] | None = None) -> dict[str, int]:
    counts = load_units(only_provinces)
    counts["titles"] = load_titles()
    return counts
