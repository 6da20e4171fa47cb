"""Legal test cases, OpenFisca-style: a situation, a date, the expected finding per criterion.

The cases live in ``src/canbo/rules/cases/*.yaml`` (format in ``docs/rules.md``), written from
the legal texts; each cites its article. :func:`run_case` builds a snapshot of the situation
and asks the same engine the application uses, so a case checks both the rule files and the
engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import polars as pl
import yaml

from .eligibility import discipline_periods, evaluate_eligibility
from .engine import evaluate, retirement_dates
from .provincial import ProvincialDecision, ProvincialLayer
from .rules import DEFAULT_RULES_DIR, RuleSet
from .rules.reader import _Loader
from .snapshot import Snapshot
from .staffing import quotas

__all__ = ["Case", "load_cases", "run_case"]

CASES_DIR = DEFAULT_RULES_DIR / "cases"
PROVINCE_ID, DISTRICT_ID, UNIT_ID, PERSON_ID = 1, 2, 10, 100


@dataclass(frozen=True)
class Case:
    """One legal test case and where it was written."""

    name: str
    file: str
    line: int
    data: dict

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.name}"


def _d(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """Every case of every ``*.yaml`` file in ``directory``."""
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or []
        for item in doc:
            out.append(Case(str(item.get("name", "?")), path.name, getattr(item, "line", 0), item))
    return out


def _snapshot(c: dict, on: date) -> Snapshot:
    """The situation of case ``c`` on its date ``on``."""
    unit = c.get("unit") or {}
    created = _d(unit.get("created")) or date(2005, 1, 1)
    legacy = created < date(2025, 7, 1) and on < date(2025, 7, 1)
    units = [
        dict(unit_id=PROVINCE_ID, code="01", name="Tỉnh thử", level="province", kind="province"),
        dict(
            unit_id=UNIT_ID,
            code="00010",
            name="Xã thử",
            level="commune_level",
            kind=unit.get("kind", "commune"),
            parent_id=DISTRICT_ID if legacy else PROVINCE_ID,
            parent_kind=unit.get("parent_kind", "rural_district" if legacy else "province"),
            district_id=DISTRICT_ID if legacy else None,
            province_id=PROVINCE_ID,
            valid_from=created,
            valid_to=_d(unit.get("dissolved")),
        ),
    ]
    if legacy:
        units.append(
            dict(
                unit_id=DISTRICT_ID,
                code="001",
                name="Huyện thử",
                level="district",
                kind=unit.get("parent_kind", "rural_district"),
                parent_id=PROVINCE_ID,
                province_id=PROVINCE_ID,
            )
        )
    person = c.get("person") or {}
    posts, first = [], None
    all_posts = []
    if c.get("post"):
        all_posts.append(c["post"])
    all_posts += c.get("earlier_posts") or []
    all_posts += c.get("posts") or []
    for i, p in enumerate(all_posts, start=1):
        start = _d(p.get("start")) or date(2020, 1, 1)
        first = start if first is None or start < first else first
        posts.append(
            dict(
                assignment_id=i,
                person_id=PERSON_ID,
                unit_id=UNIT_ID,
                title_code=p["title"],
                title_kind=p.get("title_kind", ""),
                start=start,
                end=_d(p.get("end")),
                start_reason=p.get("start_reason", "recruited"),
                is_concurrent=bool(p.get("concurrent")),
            )
        )
    people = [
        dict(
            person_id=PERSON_ID,
            full_name="Nguyễn Văn Thử",
            birth_date=_d(person.get("birth_date")),
            birth_precision=person.get("birth_precision"),
            sex=person.get("sex"),
            ethnicity=person.get("ethnicity"),
            first_start=_d(person.get("first_start")) or first,
        )
    ]
    quals = [
        dict(
            person_id=PERSON_ID,
            dimension=q["dimension"],
            level=q["level"],
            field_of_study=q.get("field"),
            obtained_on=_d(q.get("obtained_on")),
        )
        for q in c.get("qualifications") or []
    ]
    return Snapshot.from_rows(
        people=people,
        posts=posts,
        qualifications=quals,
        units=units,
        unit_classes=[dict(unit_id=UNIT_ID, unit_class=unit["class"])] if unit.get("class") else [],
        unit_flags=[dict(unit_id=UNIT_ID, flag=f) for f in unit.get("flags") or []],
        unit_statistics=[
            dict(
                unit_id=UNIT_ID,
                year=on.year - 1,
                population=unit.get("population"),
                area_km2=unit.get("area_km2"),
            )
        ]
        if ("population" in unit or "area_km2" in unit)
        else [],
        evaluations=[
            dict(person_id=PERSON_ID, year=e["year"], rating=e["rating"]) for e in c.get("evaluations") or []
        ],
        disciplines=[
            dict(
                person_id=PERSON_ID,
                track=d.get("track", "administrative"),
                form=d["form"],
                decided_on=_d(d["decided_on"]),
            )
            for d in c.get("disciplines") or []
        ],
    )


def _layer(c: dict) -> ProvincialLayer:
    out = []
    for d in c.get("province") or []:
        out.append(
            ProvincialDecision(
                kind=d["kind"],
                province_id=PROVINCE_ID,
                valid_from=_d(d.get("valid_from")) or date(2000, 1, 1),
                valid_to=_d(d.get("valid_to")),
                decision=d.get("decision", "QĐ thử/UBND"),
                title_code=d.get("title"),
                dimension=d.get("dimension", "professional"),
                minimum=d.get("minimum"),
                areas=frozenset(d.get("areas") or ()),
                fields=frozenset(d.get("fields") or ()),
                unit_id=UNIT_ID if d["kind"] == "commune_quota" else None,
                unit_kind=(c.get("unit") or {}).get("kind"),
                quota=d.get("quota"),
            )
        )
    return ProvincialLayer(out)


def _compare(expect: dict, actual: dict) -> list[str]:
    out = []
    for key, want in expect.items():
        want = "unknown" if want is None and key == "quota" else want
        got = actual.get(key, "none")
        if key.endswith("_reason"):  # the reason must contain the expected words
            ok = isinstance(got, str) and str(want) in got
        elif isinstance(want, str) and want.startswith("met_by_"):
            ok = got == want
        elif want == "met":
            ok = isinstance(got, str) and got.startswith("met")
        else:
            ok = str(got) == str(want)
        if not ok:
            out.append(f"{key}: expected {want}, got {got}")
    return out


def _dated(snap: Snapshot | None, on: date | None, kind: str) -> tuple[Snapshot, date]:
    """The snapshot and date of a case whose kind needs its date."""
    if snap is None or on is None:
        raise ValueError(f"a {kind!r} case needs its 'date'")
    return snap, on


def run_case(case: Case, rules: RuleSet) -> list[str]:
    """Mismatches between what ``case`` expects and what the engine finds (empty if none)."""
    c = case.data
    on = _d(c["date"]) if c.get("date") else None
    kind = c.get("kind", "standards")
    snap = _snapshot(c, on) if on else None
    actual: dict[str, Any] = {}
    if kind == "standards":
        snap, on = _dated(snap, on, kind)
        findings = evaluate(snap, on, rules, _layer(c)).filter(pl.col("assignment_id") == 1)
        for crit, status, basis, why in findings.select(
            "criterion", "status", "basis", "reason_vi"
        ).iter_rows():
            actual[crit] = (
                f"met_by_{basis}" if status == "met" and basis in ("exception", "transition") else status
            )
            actual[f"{crit}_reason"] = why or ""
    elif kind == "quota":
        snap, on = _dated(snap, on, kind)
        q = quotas(snap, on, rules, _layer(c))
        value = q["quota"][0] if len(q) else None
        actual["quota"] = "unknown" if value is None else value
    elif kind == "retirement":
        person = c.get("person") or {}
        snap = Snapshot.from_rows(
            people=[
                dict(
                    person_id=PERSON_ID,
                    birth_date=_d(person.get("birth_date")),
                    birth_precision=person.get("birth_precision"),
                    sex=person.get("sex"),
                )
            ]
        )
        dates = retirement_dates(snap.people, rules)
        r = dates["retirement_date"][0]
        actual["retirement_date"] = r.isoformat() if r else "unknown"
        for k in ("retirement_earliest", "retirement_latest"):
            v = dates[k][0]
            actual[k] = v.isoformat() if v else "unknown"
    elif kind == "eligibility":
        snap, on = _dated(snap, on, kind)
        e = evaluate_eligibility(snap, on, c["purpose"], rules)
        actual = dict(e.select("condition", "status").iter_rows())
        actual |= {f"{k}_reason": why or "" for k, why in e.select("condition", "reason_vi").iter_rows()}
    elif kind == "discipline":
        snap, on = _dated(snap, on, kind)
        periods = discipline_periods(snap, rules)
        active = periods.filter((pl.col("decided_on") <= on) & (pl.col("until") >= on))
        actual["in_effect"] = bool(len(active))
        # Series.max() is typed for any dtype; "until" holds dates.
        until = cast("date | None", periods["until"].max()) if len(periods) else None
        actual["until"] = until.isoformat() if until else "unknown"
        actual["bars"] = sorted({b for bs in active["bars"].to_list() for b in bs})
        if "bars" in c["expect"]:
            c = {**c, "expect": {**c["expect"], "bars": sorted(c["expect"]["bars"])}}
    elif kind == "repayment":
        # Repayment of training costs (canbo.core.training.repayment): the rules of the event's date.
        from canbo.core.training.repayment import repayment

        if on is None:
            raise ValueError(f"a {kind!r} case needs its 'date'")
        t = c.get("training") or {}
        person = c.get("person") or {}
        r = repayment(
            on=on,
            reason=c["reason"],
            cost=int(t.get("cost", 0)),
            level=t.get("level", "postgraduate"),
            commitment_months=int(t.get("commitment_months", 0)),
            served_months=int(t.get("served_months", 0)),
            prior_service_years=int(person.get("prior_service_years", 0)),
            female=person.get("sex") == "female",
            ethnic_minority=bool(person.get("ethnic_minority")),
            exemption=c.get("exemption"),
        )
        actual = {"amount": r.amount, "basis": r.basis, "rule": r.rule_id, "references": list(r.references)}
    else:
        return [f"unknown case kind {kind!r}"]
    expect = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in (c.get("expect") or {}).items()}
    if "in_effect" in expect:
        expect["in_effect"] = bool(expect["in_effect"])
    return _compare(expect, actual)
