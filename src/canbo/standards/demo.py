"""The demo province's own decisions (synthetic), so the demo shows the provincial layer at work.

Lạng Sơn is mountainous and a border province: the demo records that its People's Committee
applied the intermediate-level exception of Circular 13/2019/TT-BNV and Decree 33/2023/NĐ-CP
Art. 8(4), Art. 10(2) in its mountainous, border, ethnic-minority and especially difficult
communes, and — from 1/7/2025 — set each new commune's number of cadres and civil servants
(QĐ 759/QĐ-TTg: about 32 on average). Every decision number says it is synthetic. Each
decision passes the model's own validation (never looser than the national rules).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from canbo.core.synth import new_commune_quota
from canbo.registry.models import Assignment, Title, Unit, UnitLevel
from canbo.registry.reference import LEGACY_END, REFORM_DATE

from .models import DecisionKind, ProvincialDecision

AREAS = ["mountainous", "border", "ethnic_minority", "especially_difficult"]
CIVIL_SERVANTS = ["VP_TK", "DC_XD", "TC_KT", "TP_HT", "VH_XH"]
CADRES = ["BT_DU", "PBT_DU", "CT_HDND", "PCT_HDND", "CT_UBND", "PCT_UBND", "CT_MTTQ"]
SYNTHETIC = "(dữ liệu mô phỏng)"


@transaction.atomic
def ensure_demo_decisions(province_code: str) -> int:
    """Record the demo decisions of ``province_code`` (both eras) unless it has some already;
    return how many were created."""
    legacy = Unit.objects.get(level=UnitLevel.PROVINCE, code=province_code, valid_to=LEGACY_END)
    new = Unit.objects.get(level=UnitLevel.PROVINCE, code=province_code, valid_from=REFORM_DATE)
    if ProvincialDecision.objects.filter(province__in=[legacy, new]).exists():
        return 0
    titles = {t.code: t for t in Title.objects.filter(code__in=CIVIL_SERVANTS + CADRES)}
    decisions = []
    for code in CIVIL_SERVANTS:
        decisions.append(
            ProvincialDecision(
                province=legacy,
                kind=DecisionKind.DIFFICULT_AREA_EXCEPTION,
                title=titles[code],
                dimension="professional",
                minimum="intermediate",
                areas=AREAS,
                valid_from=date(2019, 12, 25),
                valid_to=LEGACY_END,
                decision_number=f"Quyết định số 01/2020/QĐ-UBND {SYNTHETIC}",
            )
        )
    for code in CADRES:
        decisions.append(
            ProvincialDecision(
                province=legacy,
                kind=DecisionKind.DIFFICULT_AREA_EXCEPTION,
                title=titles[code],
                dimension="professional",
                minimum="intermediate",
                areas=AREAS,
                valid_from=date(2023, 8, 1),
                valid_to=LEGACY_END,
                decision_number=f"Quyết định số 25/2023/QĐ-UBND {SYNTHETIC}",
            )
        )
        decisions.append(
            ProvincialDecision(
                province=new,
                kind=DecisionKind.DIFFICULT_AREA_EXCEPTION,
                title=titles[code],
                dimension="professional",
                minimum="intermediate",
                areas=AREAS,
                valid_from=REFORM_DATE,
                decision_number=f"Quyết định số 10/2025/QĐ-UBND {SYNTHETIC}",
            )
        )
    staffed = Unit.objects.filter(
        level=UnitLevel.COMMUNE,
        parent=new,
        valid_from=REFORM_DATE,
        pk__in=Assignment.objects.filter(start__gte=REFORM_DATE).values("unit_id"),
    ).order_by("code")
    for commune in staffed:
        decisions.append(
            ProvincialDecision(
                province=new,
                kind=DecisionKind.COMMUNE_QUOTA,
                unit=commune,
                quota=new_commune_quota(),
                valid_from=REFORM_DATE,
                decision_number=f"Quyết định số 12/2025/QĐ-UBND {SYNTHETIC}",
            )
        )
    for d in decisions:
        d.full_clean()
        d.save()
    return len(decisions)
