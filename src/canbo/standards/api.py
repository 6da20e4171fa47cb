"""Findings and staffing in the REST API (issue 11 §3): what the person page and the commune page
show, from the same calls.

* ``GET /api/people/{id}/findings?on=`` — for each post the person holds on the date, every
  criterion's verdict (met / unmet / unknown) with what is required, what the person has, on what
  basis it is met, the deadline of a transition, the legal reference and the rule's words:
  :func:`canbo.standards.pages.person_findings`, the person page's section *Kiểm tra tiêu chuẩn*.
* ``GET /api/units/{id}/staffing?on=`` — a commune's quota, headcount, *thừa* (surplus, titles
  over their maximum), *thiếu* (shortfall, vacant titles), *yếu* (people below standard, in a
  field mismatch, with missing data) and each title of its establishment with its holders: the
  commune page's numbers (:func:`canbo.web.views.units.commune`); for a district or a province
  the roll-up with its units below (:func:`canbo.standards.pages.staffing_summary`). People
  outside the user's scope are counted but not named, as on the page.

Dates ISO 8601; 01/01/2005 … 31/12 of next year (400 otherwise).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from canbo.api.common import Id, UnitRef, gate, on_date, unit_ref
from canbo.api.errors import COMMON
from canbo.registry.models import Person, Title, Unit, UnitLevel
from canbo.standards import pages
from canbo.web.views import units as unit_page
from canbo.web.views.common import get_visible, log_access

router = Router(tags=["Tiêu chuẩn, thừa thiếu yếu (standards)"])


# =========================================================================== findings


class FindingOut(Schema):
    """One criterion of one post: the verdict and why, with its legal reference."""

    criterion: str
    criterion_label: str
    status: str = Field(description="met | unmet | unknown")
    status_label: str
    required: str | None
    required_label: str
    actual: str | None
    actual_label: str
    basis: str | None = Field(description="standard | exception | transition (khi đạt)")
    basis_label: str
    deadline: date | None = Field(description="Thời hạn đạt chuẩn (khi đạt nhờ chuyển tiếp).")
    reference: str | None
    message: str | None
    reason: str = Field(description="Vì sao chưa đủ dữ liệu, nếu vậy.")
    provincial_decision: str | None
    rule_id: str | None
    verified: bool | None


class Counts(Schema):
    met: int = 0
    unmet: int = 0
    unknown: int = 0


class PostRef(Schema):
    id: int
    title_code: str
    title_name: str
    unit: UnitRef
    start: date
    end: date | None
    is_concurrent: bool


class PostFindings(Schema):
    post: PostRef
    findings: list[FindingOut]
    counts: Counts


class PersonFindings(Schema):
    """The person's findings on ``on``. No post held: ``posts`` is empty and ``last_post_end``
    the end of their latest post, if any. ``failure``: the engine failed (logged)."""

    person_id: int
    on: date
    posts: list[PostFindings]
    counts: Counts
    last_post_end: date | None
    failure: str


def _finding(f: dict) -> dict:
    return {
        "criterion": f["criterion"],
        "criterion_label": f["criterion_label"],
        "status": f["status"],
        "status_label": f["status_label"],
        "required": f.get("required"),
        "required_label": f.get("required_label") or "",
        "actual": f.get("actual"),
        "actual_label": f.get("actual_label") or "",
        "basis": f.get("basis"),
        "basis_label": f.get("basis_label") or "",
        "deadline": f.get("deadline"),
        "reference": f.get("reference"),
        "message": f.get("message"),
        "reason": f.get("reason") or "",
        "provincial_decision": f.get("provincial_decision"),
        "rule_id": f.get("rule_id"),
        "verified": f.get("verified"),
    }


def _counts(counter) -> dict:
    return {k: int((counter or {}).get(k, 0)) for k in ("met", "unmet", "unknown")}


@router.get(
    "/people/{person_id}/findings",
    response={200: PersonFindings, **COMMON},
    summary="Đối chiếu tiêu chuẩn của một người vào một ngày",
    operation_id="person_findings",
)
def person_findings(
    request: HttpRequest,
    person_id: Id,
    on: Annotated[date | None, Query(description="Ngày (YYYY-MM-DD); mặc định hôm nay.")] = None,
):
    """Each post held on ``on`` with every criterion: met, unmet or unknown, with the requirement,
    what the person has and the legal reference — as the person page. Logged as an opening of the
    file."""
    gate(request, "person")
    person = get_visible(request, Person.objects.select_related("managing_unit"), pk=person_id)
    day = on_date(on)
    found = pages.person_findings(person, day)
    log_access(request, "view", person=person, what=f"API: tiêu chuẩn ngày {day:%d/%m/%Y}")
    posts = []
    for item in found["posts"]:
        a = item["assignment"]
        posts.append(
            {
                "post": {
                    "id": a.pk,
                    "title_code": a.title.code,
                    "title_name": a.title.name,
                    "unit": unit_ref(a.unit),
                    "start": a.start,
                    "end": a.end,
                    "is_concurrent": a.is_concurrent,
                },
                "findings": [_finding(f) for f in item["findings"]],
                "counts": _counts(item["counts"]),
            }
        )
    return {
        "person_id": person.pk,
        "on": day,
        "posts": posts,
        "counts": _counts(found.get("counts")),
        "last_post_end": found.get("last_post_end"),
        "failure": found.get("failure") or "",
    }


# =========================================================================== staffing


class TitleCount(Schema):
    """A title of the establishment with its holders against what it requires (vacant) or allows
    (over)."""

    code: str
    name: str
    held: int
    limit: int


class Summary(Schema):
    """The unit's row of the staffing report (``canbo standards staffing``)."""

    quota: int | None = Field(description="Định biên (trống: chưa biết — xem quota_note).")
    quota_unknown: bool
    quota_reference: str | None
    quota_note: str | None
    headcount: int = Field(description="Số người đang giữ chức danh được tính.")
    surplus: int | None = Field(description="Thừa so với định biên.")
    shortfall: int | None = Field(description="Thiếu so với định biên.")
    vacant_count: int
    vacant_titles: list[TitleCount]
    over_count: int
    over_titles: list[TitleCount]
    below_standard: int = Field(description="Số người chưa đạt chuẩn (yếu).")
    field_mismatch: int = Field(description="Số người trái ngành.")
    missing_data: int = Field(description="Số người thiếu dữ liệu.")
    communes: int | None
    establishment_reference: str | None


class ChildSummary(Schema):
    unit: UnitRef
    summary: Summary


class Holder(Schema):
    """A holder of a title on the date. Someone outside your scope is counted, not named."""

    person_id: int | None
    name: str | None
    start: date | None
    is_concurrent: bool
    hidden: bool


class PostRow(Schema):
    """A title of the commune on the date: its minimum and maximum in the establishment, how many
    hold it, vacant places (*thiếu*) and holders above the maximum (*thừa*)."""

    code: str
    name: str
    in_establishment: bool
    min: int
    max: int | None
    count: int
    vacant: int
    over: int
    holders: list[Holder]


class PersonConcerned(Schema):
    """A person behind a *yếu* count: the category, the titles held and the criteria concerned."""

    person_id: int
    full_name: str
    category: str
    category_label: str
    unit_id: int | None
    titles: list[str]
    criteria: list[str]


class Staffing(Schema):
    """The staffing of a unit on ``on``. ``exists_on_date`` false: the unit did not exist then
    (see its lineage on ``/api/units/{id}``); no figures."""

    unit: UnitRef
    on: date
    exists_on_date: bool
    summary: Summary | None
    children: list[ChildSummary]
    posts: list[PostRow]
    people: list[PersonConcerned]
    hidden_people: int = Field(description="Người ngoài phạm vi của bạn trong các số trên (không nêu tên).")
    failure: str


_TITLE_COUNT = re.compile(r"^\s*([A-Za-z0-9_]+)\s*\((\d+)/(\d+)\)\s*$")


def _title_counts(text: str | None, names: dict[str, str]) -> list[dict]:
    out = []
    for part in (text or "").split(","):
        m = _TITLE_COUNT.match(part)
        if m:
            out.append(
                {
                    "code": m.group(1),
                    "name": names.get(m.group(1), m.group(1)),
                    "held": int(m.group(2)),
                    "limit": int(m.group(3)),
                }
            )
    return out


def _int(value) -> int | None:
    return None if value is None else int(value)


def _summary(row: dict | None, names: dict[str, str]) -> dict | None:
    if row is None:
        return None
    return {
        "quota": _int(row.get("quota")),
        "quota_unknown": bool(row.get("quota_unknown")),
        "quota_reference": row.get("quota_reference"),
        "quota_note": row.get("quota_note"),
        "headcount": int(row.get("headcount") or 0),
        "surplus": _int(row.get("surplus")),
        "shortfall": _int(row.get("shortfall")),
        "vacant_count": int(row.get("vacant_count") or 0),
        "vacant_titles": _title_counts(row.get("vacant_titles"), names),
        "over_count": int(row.get("over_count") or 0),
        "over_titles": _title_counts(row.get("over_titles"), names),
        "below_standard": int(row.get("below_standard") or 0),
        "field_mismatch": int(row.get("field_mismatch") or 0),
        "missing_data": int(row.get("missing_data") or 0),
        "communes": _int(row.get("communes")),
        "establishment_reference": row.get("establishment_reference"),
    }


def _codes(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


@router.get(
    "/units/{unit_id}/staffing",
    response={200: Staffing, **COMMON},
    summary="Thừa, thiếu, yếu của một xã (hoặc cộng theo huyện, tỉnh) vào một ngày",
    operation_id="unit_staffing",
)
def unit_staffing(
    request: HttpRequest,
    unit_id: Id,
    on: Annotated[
        date | None,
        Query(description="Ngày (YYYY-MM-DD); mặc định hôm nay, hoặc ngày cuối của đơn vị đã giải thể."),
    ] = None,
):
    gate(request, "units")
    unit = get_visible(request, Unit.objects.select_related("parent__parent"), pk=unit_id)
    day = on_date(on, unit_page.default_date(unit))
    names = dict(Title.objects.values_list("code", "name"))
    answer: dict = {
        "unit": unit_ref(unit),
        "on": day,
        "exists_on_date": unit.is_valid_on(day),
        "summary": None,
        "children": [],
        "posts": [],
        "people": [],
        "hidden_people": 0,
        "failure": "",
    }
    if not answer["exists_on_date"]:
        return answer

    def nowhere(pk: int) -> str:
        return ""

    if unit.level == UnitLevel.COMMUNE:
        page = unit_page.commune(request.user, unit, day)
        if page.get("failure"):
            answer["failure"] = page["failure"]
            return answer
        s = page["staffing"]
        answer["posts"] = [
            {
                "code": r["code"],
                "name": r["name"],
                "in_establishment": r["in_establishment"],
                "min": r["min"],
                "max": r["max"],
                "count": r["count"],
                "vacant": r["vacant"],
                "over": r["over"],
                "holders": [
                    {
                        "person_id": None if h["hidden"] else h["person_id"],
                        "name": None if h["hidden"] else h["name"],
                        "start": None if h["hidden"] else _iso(h["start"]),
                        "is_concurrent": bool(h["concurrent"]),
                        "hidden": bool(h["hidden"]),
                    }
                    for h in r["holders"]
                ],
            }
            for r in page["posts"]
        ]
    else:
        s = pages.staffing_summary(request.user, unit, day, unit_url=nowhere, person_url=nowhere)
        if s.get("failure"):
            answer["failure"] = s["failure"]
            return answer
    answer["summary"] = _summary(s.get("summary"), names)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[c["unit_id"] for c in s.get("children", [])])}
    answer["children"] = [
        {"unit": unit_ref(units[c["unit_id"]]), "summary": _summary(c, names)}
        for c in s.get("children", [])
        if c["unit_id"] in units
    ]
    answer["people"] = [
        {
            "person_id": p["person_id"],
            "full_name": p.get("full_name") or "",
            "category": p["category"],
            "category_label": p.get("category_label") or "",
            "unit_id": p.get("unit_id"),
            "titles": _codes(p.get("titles")),
            "criteria": _codes(p.get("criteria")),
        }
        for p in s.get("people", [])
    ]
    answer["hidden_people"] = int(s.get("hidden_people") or 0)
    return answer


def _iso(text: str) -> date | None:
    """The commune page writes a start date dd/mm/yyyy; back to a date."""
    from canbo.common.dates import parse_user_date

    return parse_user_date(text) if text else None
