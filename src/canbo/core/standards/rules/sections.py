"""Section parsing: each entry of a rule file checked and turned into the rule model.

:func:`_entry_common` reads what every entry has (``id``, ``valid_from``/``valid_to``,
``reference``, ``message``, ``verified``); one parser per section (``standards`` with their
``exceptions``, ``quotas``, ``establishment``, ``retirement``, ``eligibility``,
``discipline_effects``; :data:`_PARSERS`) checks the rest against the vocabularies of
:mod:`.model` and the title catalogue — the format of ``docs/rules.md``, one heading per
section. Across files, :func:`_overlaps` refuses two entries on the same thing in force on the
same day (``docs/rules.md``, "Dates and references"), and duplicate rule ids.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any, cast

from canbo.core.scales import FIELDS_OF_STUDY, SCALES, Dimension

from .model import (
    AREA_FLAGS,
    BARS,
    CONDITIONS,
    CRITERIA,
    DISCIPLINE_FORMS,
    LEVEL_CRITERIA,
    PURPOSES,
    RATINGS,
    START_REASONS,
    TITLE_KINDS,
    UNIT_CLASSES,
    UNIT_KINDS,
    DisciplineEffect,
    Eligibility,
    Establishment,
    Exception,  # noqa: A004 - the legal word (Decree 33/2023 Art. 8(4)); the builtin is not used here
    Instrument,
    Quota,
    Reference,
    RetirementRule,
    RuleProblem,
    RuleSet,
    Standard,
    _Entry,
)
from .reader import _File, _Map

# A value that failed its check is reported as a problem and still passed on (as None or as
# read), so that one pass reports every problem of a file; a file with problems is refused as a
# whole, so such an entry never reaches a rule set. The casts below say so to the type checker.

_ENTRY_KEYS = ("id", "valid_from", "reference", "message")
_ENTRY_OPTIONAL = ("valid_to", "verified", "verification_note")
_SECTIONS = ("standards", "quotas", "establishment", "retirement", "eligibility", "discipline_effects")


def _level_ok(f: _File, dimension: str, code: Any, line: int, key: str = "minimum") -> bool:
    codes = {lv.code for lv in SCALES[Dimension(dimension)]}
    if code not in codes:
        f.problem(
            line,
            f"Trình độ '{code}' không tồn tại trong thang '{dimension}' (ở '{key}')",
            f"Level '{code}' does not exist on the '{dimension}' scale (in '{key}')",
        )
        return False
    return True


def _reference(f: _File, m: _Map, instrument: Instrument, where: str) -> Reference | None:
    ref = m.get("reference")
    line = f.line_of(m, "reference")
    if ref is None:  # already reported as a missing required key
        return None
    if not f.keys(ref, f"reference của {where}", ["article"], ["clause", "point", "note"], line):
        return None
    article = ref.get("article")
    if article in (None, ""):
        f.problem(
            line, f"Căn cứ pháp lý của {where} thiếu số điều", f"The reference of {where} lacks an article"
        )
        return None
    return Reference(
        instrument,
        str(article),
        str(ref.get("clause") or ""),
        str(ref.get("point") or ""),
        str(ref.get("note") or ""),
    )


def _message(f: _File, m: _Map, where: str) -> tuple[str, str]:
    msg = m.get("message")
    line = f.line_of(m, "message")
    if msg is None:  # already reported as a missing required key
        return "", ""
    if not f.keys(msg, f"message của {where}", ["vi", "en"], [], line):
        return "", ""
    return f.text(msg, "vi", where), f.text(msg, "en", where)


def _entry_common(
    f: _File, m: _Map, instrument: Instrument, section: str, extra_req, extra_opt
) -> dict | None:
    where = f"{section}[{m.get('id', '?')}]"
    if not f.keys(
        m, where, (*_ENTRY_KEYS, *extra_req), (*_ENTRY_OPTIONAL, *extra_opt), getattr(m, "line", 0)
    ) and not isinstance(m, _Map):
        return None
    rid = m.get("id")
    if not isinstance(rid, str) or not rid:
        f.problem(m.line, f"Thiếu mã quy tắc (id) trong {section}", f"Missing rule id in {section}")
        rid = f"?{m.line}"
    start = f.date(m, "valid_from")
    end = f.date(m, "valid_to", required=False)
    if start and end and end < start:
        f.problem(
            f.line_of(m, "valid_to"),
            f"{where}: valid_to {end} trước valid_from {start}",
            f"{where}: valid_to {end} is before valid_from {start}",
        )
    verified = m.get("verified", True)
    note = m.get("verification_note", "") or ""
    if not isinstance(verified, bool):
        f.problem(f.line_of(m, "verified"), "'verified' phải là true/false", "'verified' must be true/false")
        verified = False
    if not verified and not str(note).strip():
        f.problem(
            m.line,
            f"{where}: verified: false cần verification_note nói điều chưa chắc",
            f"{where}: verified: false needs a verification_note saying what is uncertain",
        )
    message_vi, message_en = _message(f, m, where)
    return dict(
        id=rid,
        valid_from=start or date.min,
        valid_to=end,
        reference=_reference(f, m, instrument, where),
        message_vi=message_vi,
        message_en=message_en,
        verified=bool(verified) and instrument.verified,
        verification_note=str(note).strip()
        or (instrument.verification_note if not instrument.verified else ""),
        file=f.name,
        line=m.line,
    )


def _exception(
    f: _File, m: _Map, instrument: Instrument, dimension: str | None, where: str
) -> Exception | None:
    line = getattr(m, "line", 0)
    if not f.keys(
        m,
        f"exceptions của {where}",
        ["kind", "minimum", "reference", "message"],
        [
            "areas",
            "requires_provincial_decision",
            "in_post_before",
            "years_from_unit_creation",
            "until",
            "verified",
            "verification_note",
        ],
        line,
    ):
        return None
    kind = m.get("kind")
    if kind not in ("difficult_area", "transition"):
        f.problem(
            f.line_of(m, "kind"),
            f"Loại ngoại lệ không hợp lệ '{kind}' (difficult_area | transition)",
            f"Unknown exception kind '{kind}' (difficult_area | transition)",
        )
        return None
    if dimension is None:
        f.problem(
            line,
            f"{where}: chỉ tiêu chuẩn về trình độ mới có ngoại lệ",
            f"{where}: only level standards may have exceptions",
        )
        return None
    _level_ok(f, dimension, m.get("minimum"), f.line_of(m, "minimum"))
    areas = f.codes(m, "areas", AREA_FLAGS, "Đặc điểm địa bàn", "area flag")
    in_post_before = f.date(m, "in_post_before", required=False)
    years = f.integer(m, "years_from_unit_creation", 1)
    until = f.date(m, "until", required=False)
    if kind == "difficult_area" and not areas:
        f.problem(
            line,
            f"{where}: ngoại lệ vùng khó khăn cần 'areas'",
            f"{where}: a difficult_area exception needs 'areas'",
        )
    if kind == "transition" and (years is None) == (until is None):
        f.problem(
            line,
            f"{where}: ngoại lệ chuyển tiếp cần đúng một trong 'years_from_unit_creation' hoặc 'until'",
            f"{where}: a transition needs exactly one of 'years_from_unit_creation' or 'until'",
        )
    vi, en = _message(f, m, f"ngoại lệ của {where}")
    verified = m.get("verified", True)
    if not isinstance(verified, bool):
        f.problem(
            f.line_of(m, "verified"),
            f"{where}: 'verified' của ngoại lệ phải là true/false",
            f"{where}: an exception's 'verified' must be true/false",
        )
        verified = False
    note = str(m.get("verification_note") or "").strip()
    if verified is not True and not note:
        f.problem(
            line,
            f"{where}: ngoại lệ verified: false cần verification_note",
            f"{where}: an exception with verified: false needs a verification_note",
        )
    return Exception(
        kind=kind,
        minimum=cast(str, m.get("minimum")),
        areas=areas,
        requires_provincial_decision=bool(m.get("requires_provincial_decision", False)),
        in_post_before=in_post_before,
        years_from_unit_creation=years,
        until=until,
        reference=cast(Reference, _reference(f, m, instrument, f"ngoại lệ của {where}")),
        message_vi=vi,
        message_en=en,
        line=line,
        verified=verified is True and instrument.verified,
        verification_note=note,
    )


def _standard(f: _File, m: _Map, instrument: Instrument, titles: dict) -> Standard | None:
    common = _entry_common(
        f,
        m,
        instrument,
        "standards",
        ["titles", "criterion"],
        ["minimum", "accepted", "years", "months", "start_reasons", "exceptions"],
    )
    if common is None:
        return None
    where = f"standards[{common['id']}]"
    criterion = m.get("criterion")
    if criterion not in CRITERIA:
        f.problem(
            f.line_of(m, "criterion"),
            f"Tiêu chí không hợp lệ '{criterion}'",
            f"Unknown criterion '{criterion}'",
        )
        return None
    title_codes = f.codes(m, "titles", titles, "Chức danh", "title")
    if not m.get("titles"):
        f.problem(f.line_of(m, "titles"), f"{where}: 'titles' rỗng", f"{where}: 'titles' is empty")
    start, end = common["valid_from"], common["valid_to"]
    for code in sorted(title_codes):
        t = titles[code]
        if (t["valid_to"] and start > t["valid_to"]) or (t["valid_from"] and end and end < t["valid_from"]):
            f.problem(
                f.line_of(m, "titles"),
                f"{where}: chức danh {code} không còn hiệu lực trong thời gian của quy tắc",
                f"{where}: title {code} is not in force during the rule's period",
            )
    minimum = m.get("minimum")
    dimension = (
        criterion
        if criterion in LEVEL_CRITERIA
        else ("professional" if criterion == "field_of_study" else None)
    )
    if dimension is not None:  # a level criterion, or field_of_study (on the professional scale)
        if minimum is None:
            f.problem(m.line, f"{where}: thiếu 'minimum'", f"{where}: missing 'minimum'")
        else:
            _level_ok(f, dimension, minimum, f.line_of(m, "minimum"))
    elif minimum is not None:
        f.problem(
            f.line_of(m, "minimum"),
            f"{where}: tiêu chí {criterion} không có 'minimum'",
            f"{where}: criterion {criterion} takes no 'minimum'",
        )
    accepted = f.codes(m, "accepted", FIELDS_OF_STUDY, "Ngành đào tạo", "field of study")
    if criterion == "field_of_study" and not m.get("accepted"):
        f.problem(m.line, f"{where}: thiếu danh sách ngành 'accepted'", f"{where}: missing 'accepted' fields")
    years = f.integer(m, "years", 0)
    months = f.integer(m, "months", 0)
    if criterion == "age_minimum" and years is None:
        f.problem(m.line, f"{where}: thiếu 'years'", f"{where}: missing 'years'")
    if criterion == "term_at_appointment" and (months is None or not m.get("start_reasons")):
        f.problem(
            m.line,
            f"{where}: cần 'months' và 'start_reasons'",
            f"{where}: needs 'months' and 'start_reasons'",
        )
    reasons = f.codes(m, "start_reasons", START_REASONS, "Hình thức bắt đầu", "start reason")
    exceptions = []
    raw = m.get("exceptions") or []
    if not isinstance(raw, list):
        f.problem(f.line_of(m, "exceptions"), "'exceptions' phải là danh sách", "'exceptions' must be a list")
        raw = []
    for e in raw:
        ex = _exception(f, e, instrument, dimension, where)
        if ex is not None:
            exceptions.append(ex)
    return Standard(
        **common,
        titles=tuple(sorted(title_codes)),
        criterion=criterion,
        minimum=minimum,
        accepted=accepted,
        years=years,
        months=months,
        start_reasons=reasons,
        exceptions=tuple(exceptions),
    )


def _quota(f: _File, m: _Map, instrument: Instrument, _titles) -> Quota | None:
    common = _entry_common(
        f,
        m,
        instrument,
        "quotas",
        ["unit_kinds", "counts"],
        ["by_class", "increments", "set_by_province", "average"],
    )
    if common is None:
        return None
    where = f"quotas[{common['id']}]"
    kinds = f.codes(m, "unit_kinds", UNIT_KINDS, "Loại đơn vị", "unit kind")
    counts = f.codes(m, "counts", TITLE_KINDS, "Loại chức danh", "title kind")
    by_class = m.get("by_class") or {}
    set_by_province = bool(m.get("set_by_province", False))
    if by_class and f.keys(by_class, f"by_class của {where}", [], UNIT_CLASSES, f.line_of(m, "by_class")):
        for k in by_class:
            f.integer(by_class, k, 1)
    if not by_class and not set_by_province:
        f.problem(
            m.line,
            f"{where}: cần 'by_class' hoặc 'set_by_province: true'",
            f"{where}: needs 'by_class' or 'set_by_province: true'",
        )
    inc = m.get("increments") or {}
    if inc and f.keys(
        inc, f"increments của {where}", [], ["population", "area_km2"], f.line_of(m, "increments")
    ):
        for part in inc:
            p = inc[part]
            if f.keys(
                p,
                f"increments.{part}",
                ["standard", "step"],
                ["urban_district_ward_step"],
                f.line_of(inc, part),
            ):
                f.keys(
                    p["standard"],
                    f"increments.{part}.standard",
                    ["default"],
                    ["mountainous", "urban_district_ward"],
                    f.line_of(p, "standard"),
                )
                for k in ("step", "urban_district_ward_step"):
                    v = p.get(k)
                    if v is not None and (not isinstance(v, (int, float)) or v <= 0):
                        f.problem(
                            f.line_of(p, k), f"'{k}' phải là số dương", f"'{k}' must be a positive number"
                        )
    average = f.integer(m, "average", 1) if "average" in m else None
    return Quota(
        **common,
        unit_kinds=kinds,
        counts=counts,
        by_class=dict(by_class),
        increments=inc,
        set_by_province=set_by_province,
        average=average,
    )


def _establishment(f: _File, m: _Map, instrument: Instrument, titles) -> Establishment | None:
    common = _entry_common(f, m, instrument, "establishment", ["unit_kinds", "titles"], [])
    if common is None:
        return None
    where = f"establishment[{common['id']}]"
    kinds = f.codes(m, "unit_kinds", UNIT_KINDS, "Loại đơn vị", "unit kind")
    out: dict[str, tuple[int, int | None]] = {}
    raw = m.get("titles")
    if f.keys(
        raw, f"titles của {where}", [], raw.keys() if isinstance(raw, dict) else [], f.line_of(m, "titles")
    ):
        for code, spec in raw.items():
            line = raw.lines.get(code, raw.line)
            if code not in titles:
                f.problem(line, f"Chức danh không tồn tại: '{code}'", f"Unknown title: '{code}'")
                continue
            if not f.keys(spec, f"{where}.{code}", ["min"], ["max"], line):
                continue
            lo, hi = f.integer(spec, "min", 0), f.integer(spec, "max", 1)
            if lo is not None and hi is not None and hi < lo:
                f.problem(line, f"{where}.{code}: max < min", f"{where}.{code}: max < min")
            out[code] = (lo or 0, hi)
    return Establishment(**common, unit_kinds=kinds, titles=out)


def _retirement(f: _File, m: _Map, instrument: Instrument, _titles) -> RetirementRule | None:
    common = _entry_common(
        f, m, instrument, "retirement", ["sex", "age_months"], ["step_months_per_year", "cap_months"]
    )
    if common is None:
        return None
    sex = m.get("sex")
    if sex not in ("male", "female"):
        f.problem(f.line_of(m, "sex"), f"Giới tính không hợp lệ '{sex}'", f"Unknown sex '{sex}'")
    return RetirementRule(
        **common,
        sex=cast(str, sex),
        age_months=f.integer(m, "age_months", 1) or 0,
        step_months_per_year=f.integer(m, "step_months_per_year", 0) or 0,
        cap_months=f.integer(m, "cap_months", 1),
    )


def _eligibility(f: _File, m: _Map, instrument: Instrument, _titles) -> Eligibility | None:
    common = _entry_common(
        f, m, instrument, "eligibility", ["purpose", "conditions"], ["service_commitment_multiple"]
    )
    if common is None:
        return None
    where = f"eligibility[{common['id']}]"
    purpose = m.get("purpose")
    if purpose not in PURPOSES:
        f.problem(
            f.line_of(m, "purpose"), f"Mục đích không hợp lệ '{purpose}'", f"Unknown purpose '{purpose}'"
        )
    cond = m.get("conditions")
    if f.keys(cond, f"conditions của {where}", [], CONDITIONS, f.line_of(m, "conditions")):
        for k in ("min_service_years", "max_age", "min_age", "min_months_to_retirement"):
            f.integer(cond, k, 0)
        if "ethnic_minority_or_difficult_area" in cond:
            f.codes(cond, "ethnic_minority_or_difficult_area", AREA_FLAGS, "Đặc điểm địa bàn", "area flag")
        if "political_theory_minimum" in cond:
            _level_ok(
                f,
                "political_theory",
                cond["political_theory_minimum"],
                cond.lines["political_theory_minimum"],
                "political_theory_minimum",
            )
        if "recent_evaluations" in cond:
            rec = cond["recent_evaluations"]
            if f.keys(rec, "recent_evaluations", ["years", "minimum"], [], cond.lines["recent_evaluations"]):
                f.integer(rec, "years", 1)
                if rec["minimum"] not in RATINGS:
                    f.problem(
                        rec.lines["minimum"],
                        f"Xếp loại không hợp lệ '{rec['minimum']}'",
                        f"Unknown rating '{rec['minimum']}'",
                    )
    mult = m.get("service_commitment_multiple")
    if mult is not None and (not isinstance(mult, (int, float)) or mult <= 0):
        f.problem(
            f.line_of(m, "service_commitment_multiple"),
            "Hệ số cam kết phải là số dương",
            "The service commitment multiple must be a positive number",
        )
    return Eligibility(
        **common,
        purpose=cast(str, purpose),
        conditions=dict(cond) if isinstance(cond, dict) else {},
        service_commitment_multiple=mult,
    )


def _discipline(f: _File, m: _Map, instrument: Instrument, _titles) -> DisciplineEffect | None:
    common = _entry_common(f, m, instrument, "discipline_effects", ["forms", "months", "bars"], [])
    if common is None:
        return None
    forms = f.codes(m, "forms", DISCIPLINE_FORMS, "Hình thức kỷ luật", "discipline form")
    bars = f.codes(m, "bars", BARS, "Hạn chế", "bar")
    return DisciplineEffect(**common, forms=forms, months=f.integer(m, "months", 1) or 0, bars=bars)


_PARSERS = {
    "standards": _standard,
    "quotas": _quota,
    "establishment": _establishment,
    "retirement": _retirement,
    "eligibility": _eligibility,
    "discipline_effects": _discipline,
}


def _overlaps(rules: RuleSet) -> list[RuleProblem]:
    """Two entries about the same thing may not be in force on the same day."""
    problems = []
    seen_ids: dict[str, _Entry] = {}

    def check(entries: list, keys, what_vi: str, what_en: str) -> None:
        by_key: dict[Any, list] = {}
        for e in entries:
            if e.id in seen_ids:
                problems.append(
                    RuleProblem(
                        e.file,
                        e.line,
                        f"Mã quy tắc '{e.id}' bị trùng với {seen_ids[e.id].where}",
                        f"Rule id '{e.id}' duplicates {seen_ids[e.id].where}",
                    )
                )
            seen_ids[e.id] = e
            for k in keys(e):
                by_key.setdefault(k, []).append(e)
        for k, group in by_key.items():
            group.sort(key=lambda e: e.valid_from)
            for a, b in itertools.pairwise(group):
                if a.valid_to is None or b.valid_from <= a.valid_to:
                    kv = " × ".join(k) if isinstance(k, tuple) else k
                    problems.append(
                        RuleProblem(
                            b.file,
                            b.line,
                            f"Hiệu lực chồng lấn về {what_vi} {kv}: '{b.id}' (từ {b.valid_from}) và '{a.id}' ({a.where}, "
                            f"đến {a.valid_to or 'nay'})",
                            f"Overlapping validity for {what_en} {kv}: '{b.id}' (from {b.valid_from}) and '{a.id}' "
                            f"({a.where}, to {a.valid_to or 'open'})",
                        )
                    )

    check(
        rules.standards,
        lambda s: {(t, s.criterion) for t in s.titles},
        "chức danh × tiêu chí",
        "title × criterion",
    )
    check(rules.quotas, lambda q: set(q.unit_kinds), "định biên của loại đơn vị", "the quota of unit kind")
    check(
        rules.establishment,
        lambda q: set(q.unit_kinds),
        "cơ cấu chức danh của loại đơn vị",
        "the establishment of unit kind",
    )
    check(rules.retirement, lambda r: {r.sex}, "tuổi nghỉ hưu", "retirement age of")
    check(
        rules.eligibility,
        lambda e: {(e.purpose, c) for c in e.conditions},
        "điều kiện",
        "eligibility condition",
    )
    check(rules.discipline_effects, lambda e: set(e.forms), "hệ quả kỷ luật", "discipline effect of")
    return problems
