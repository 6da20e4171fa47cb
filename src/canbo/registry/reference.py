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
    widths: dict[str, int] = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}
    width = widths[level]
    return f"{int(number):0{width}d}"


@transaction.atomic
def load_units(only_provinces: set[int] | None = None) -> dict[str, int]:
    """Create the administrative units and the 1/7/2025 lineage that are not yet
    stored; return how many of each were created. ``only_provinces`` (legacy
    province numbers) limits the load, for small test databases; a later full
    load adds the rest without touching what is there."""
    from vietnam_provinces import _lookup as new
    from vietnam_provinces import _province_conversion_2025 as pconv
    from vietnam_provinces import _ward_conversion_2025 as wconv
    from vietnam_provinces.legacy import _lookup as old

    def wanted_old(province: int) -> bool:
        return only_provinces is None or province in only_provinces

    wanted_new_provinces = None
    if only_provinces is not None:
        wanted_new_provinces = {
            n.code for p in only_provinces if p in pconv.OLD_TO_NEW for n in pconv.OLD_TO_NEW[p].new_provinces
        }

    def wanted_new(province: int) -> bool:
        return wanted_new_provinces is None or province in wanted_new_provinces

    def stored(level: str, era_from) -> dict[int, Unit]:
        qs = Unit.objects.filter(level=level, valid_from=era_from)
        if era_from is None:
            qs = qs.filter(valid_to=LEGACY_END)
        return {int(u.code): u for u in qs}

    counts: dict[str, int] = {}

    def ensure(label: str, level: str, era_from, era_to, items, parent_of) -> dict[int, Unit]:
        """Create the missing units of one tier; return all stored units of the tier by number."""
        have = stored(level, era_from)
        missing = [
            Unit(
                code=unit_code(level, number),
                name=item.name,
                level=level,
                kind=_KIND[str(item.division_type)],
                parent=parent_of(item),
                valid_from=era_from,
                valid_to=era_to,
                source=SOURCE,
            )
            for number, item in items
            if number not in have
        ]
        Unit.objects.bulk_create(missing, batch_size=2000)  # ids come back on SQLite and PostgreSQL
        counts[label] = len(missing)
        have.update((int(u.code), u) for u in missing)
        return have

    # Legacy three-tier era, ending 30/06/2025.
    old_provinces = ensure(
        "legacy_provinces",
        UnitLevel.PROVINCE,
        None,
        LEGACY_END,
        [(int(p.code), p) for p in old.PROVINCE_MAPPING.values() if wanted_old(int(p.code))],
        lambda item: None,
    )
    old_districts = ensure(
        "districts",
        UnitLevel.DISTRICT,
        None,
        LEGACY_END,
        [(int(d.code), d) for d in old.DISTRICT_MAPPING.values() if int(d.province_code) in old_provinces],
        lambda item: old_provinces[int(item.province_code)],
    )
    old_communes = ensure(
        "legacy_communes",
        UnitLevel.COMMUNE,
        None,
        LEGACY_END,
        [(int(w.code), w) for w in old.WARD_MAPPING.values() if int(w.district_code) in old_districts],
        lambda item: old_districts[int(item.district_code)],
    )
    # Two-tier era from 01/07/2025.
    new_provinces = ensure(
        "provinces",
        UnitLevel.PROVINCE,
        REFORM_DATE,
        None,
        [(int(p.code), p) for p in new.PROVINCE_MAPPING.values() if wanted_new(int(p.code))],
        lambda item: None,
    )
    new_communes = ensure(
        "communes",
        UnitLevel.COMMUNE,
        REFORM_DATE,
        None,
        [(int(w.code), w) for w in new.WARD_MAPPING.values() if int(w.province_code) in new_provinces],
        lambda item: new_provinces[int(item.province_code)],
    )

    existing_links = set(UnitLineage.objects.values_list("predecessor_id", "successor_id"))
    links = []

    def link(pred: Unit, succ: Unit, partly: bool, primary: bool) -> None:
        if (pred.id, succ.id) not in existing_links:
            links.append(
                UnitLineage(
                    predecessor=pred,
                    successor=succ,
                    date=REFORM_DATE,
                    kind=LineageKind.PARTLY_MERGED if partly else LineageKind.MERGED,
                    is_primary=primary,
                    legal_reference=REFORM_REFERENCE,
                )
            )

    for old_no, entry in pconv.OLD_TO_NEW.items():
        for i, ref in enumerate(entry.new_provinces):
            if old_no in old_provinces and ref.code in new_provinces:
                link(old_provinces[old_no], new_provinces[ref.code], len(entry.new_provinces) > 1, i == 0)
    for old_no, ward_entry in wconv.OLD_TO_NEW.items():
        partly = ward_entry.old_ward.is_partly_merged or len(ward_entry.new_wards) > 1
        for i, ward_ref in enumerate(ward_entry.new_wards):
            if old_no in old_communes and ward_ref.code in new_communes:
                link(old_communes[old_no], new_communes[ward_ref.code], partly, i == 0)
    UnitLineage.objects.bulk_create(links, batch_size=2000)
    counts["lineage"] = len(links)
    return counts


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
