"""The provincial layer: a province's own decisions layered over the national rules.

Decree 33/2023/NĐ-CP Art. 8(5) and Art. 10 let the provincial People's Committee set detailed
standards no lower than the decree's, choose the accepted training fields for each title, and
decide where the intermediate-level exception for difficult areas applies; from 1/7/2025 the
province sets each commune's number of cadres and civil servants (QĐ 759/QĐ-TTg). DESIGN.md
principle 3: a provincial rule may be stricter than the national one, never looser.

:func:`check_decision` refuses a decision that would loosen a national rule, with a message
citing both the provincial decision and the national provision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from canbo.core.scales import level

from .rules import RuleSet

__all__ = ["KINDS", "DecisionProblem", "ProvincialDecision", "ProvincialLayer", "check_decision"]

#: Kinds of provincial decision.
KINDS = ("accepted_fields", "difficult_area_exception", "stricter_minimum", "commune_quota")


@dataclass(frozen=True)
class ProvincialDecision:
    """One provincial decision in force for a period (``valid_to`` inclusive, open if None)."""

    kind: str
    province_id: int
    valid_from: date
    valid_to: date | None = None
    decision: str = ""
    title_code: str | None = None
    dimension: str = "professional"
    minimum: str | None = None
    areas: frozenset[str] = field(default_factory=frozenset)
    fields: frozenset[str] = field(default_factory=frozenset)
    unit_id: int | None = None
    unit_kind: str | None = None
    quota: int | None = None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def overlaps(self, entry) -> bool:
        return (self.valid_to is None or entry.valid_from <= self.valid_to) and (
            entry.valid_to is None or self.valid_from <= entry.valid_to
        )


@dataclass(frozen=True)
class DecisionProblem:
    """Why a provincial decision is refused; ``field`` names the offending field."""

    field: str
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return self.message_vi


def _rank(dimension: str, code: str) -> int:
    return level(dimension, code).rank


def _label(dimension: str, code: str) -> str:
    return level(dimension, code).label_vi


def check_decision(d: ProvincialDecision, rules: RuleSet) -> list[DecisionProblem]:
    """Problems that make ``d`` unacceptable against the national ``rules`` (empty if none)."""
    who = f"Quyết định của tỉnh ({d.decision or 'chưa ghi số'})"
    who_en = f"The provincial decision ({d.decision or 'no number'})"
    out: list[DecisionProblem] = []
    if d.valid_to is not None and d.valid_to < d.valid_from:
        out.append(
            DecisionProblem(
                "valid_to", "Ngày hết hiệu lực trước ngày có hiệu lực.", "valid_to is before valid_from."
            )
        )
        return out
    if d.kind not in KINDS:
        return [
            DecisionProblem(
                "kind", f"Loại quyết định không hợp lệ: {d.kind}", f"Unknown decision kind: {d.kind}"
            )
        ]
    if d.kind in ("difficult_area_exception", "stricter_minimum"):
        if d.minimum is None:
            return [DecisionProblem("minimum", "Cần chọn trình độ tối thiểu.", "Choose the minimum level.")]
        try:
            _rank(d.dimension, d.minimum)
        except ValueError:
            return [
                DecisionProblem(
                    "minimum",
                    f"Trình độ '{d.minimum}' không tồn tại trong thang '{d.dimension}'.",
                    f"Level '{d.minimum}' does not exist on the '{d.dimension}' scale.",
                )
            ]
    if d.kind != "commune_quota" and not d.title_code:
        return [DecisionProblem("title_code", "Cần chọn chức danh.", "A title is required.")]
    if d.kind == "accepted_fields":
        national = [
            s
            for s in rules.standards
            if s.criterion == "field_of_study" and d.title_code in s.titles and d.overlaps(s)
        ]
        if not national:
            out.append(
                DecisionProblem(
                    "title_code",
                    f"Không có tiêu chuẩn quốc gia về ngành đào tạo của chức danh {d.title_code} trong thời gian này.",
                    f"No national field-of-study standard for title {d.title_code} in this period.",
                )
            )
        if not d.fields:
            out.append(DecisionProblem("fields", "Cần chọn ít nhất một ngành.", "Choose at least one field."))
        for s in national:
            extra = sorted(d.fields - s.accepted)
            if extra:
                out.append(
                    DecisionProblem(
                        "fields",
                        f"{who} chấp nhận ngành {', '.join(extra)} nằm ngoài danh sách của {s.reference.render('vi')} "
                        f"({', '.join(sorted(s.accepted))}): tỉnh chỉ được quy định chặt hơn, không được nới lỏng.",
                        f"{who_en} accepts fields {', '.join(extra)} outside the list of {s.reference.render('en')} "
                        f"({', '.join(sorted(s.accepted))}): a province may be stricter, never looser.",
                    )
                )
    elif d.kind == "difficult_area_exception":
        candidates = [
            (s, e)
            for s in rules.standards
            if d.title_code in s.titles and s.criterion == d.dimension and d.overlaps(s)
            for e in s.exceptions
            if e.kind == "difficult_area" and e.requires_provincial_decision
        ]
        if not candidates:
            out.append(
                DecisionProblem(
                    "title_code",
                    f"Pháp luật không cho phép tỉnh áp dụng ngoại lệ vùng khó khăn cho chức danh {d.title_code} "
                    f"({d.dimension}) trong thời gian này.",
                    f"National law allows no difficult-area exception for title {d.title_code} ({d.dimension}) in this period.",
                )
            )
        if not d.areas:
            out.append(
                DecisionProblem("areas", "Cần chọn địa bàn áp dụng.", "Choose the areas it applies to.")
            )
        if d.minimum is None:
            out.append(
                DecisionProblem("minimum", "Cần chọn trình độ tối thiểu.", "Choose the minimum level.")
            )
        for _s, e in candidates:
            extra = sorted(d.areas - e.areas)
            if extra:
                out.append(
                    DecisionProblem(
                        "areas",
                        f"{who} áp dụng ngoại lệ cho địa bàn {', '.join(extra)} không thuộc các địa bàn của "
                        f"{e.reference.render('vi')}: không được nới lỏng tiêu chuẩn quốc gia.",
                        f"{who_en} applies the exception to areas {', '.join(extra)} not listed by {e.reference.render('en')}: "
                        "a province may not loosen the national standard.",
                    )
                )
            if d.minimum is not None and _rank(d.dimension, d.minimum) < _rank(d.dimension, e.minimum):
                out.append(
                    DecisionProblem(
                        "minimum",
                        f"{who} chấp nhận trình độ {_label(d.dimension, d.minimum)}, thấp hơn mức "
                        f"{_label(d.dimension, e.minimum)} mà {e.reference.render('vi')} cho phép.",
                        f"{who_en} accepts level {d.minimum}, lower than the {e.minimum} that "
                        f"{e.reference.render('en')} allows.",
                    )
                )
    elif d.kind == "stricter_minimum" and d.minimum is not None:  # None was refused above
        r = _rank(d.dimension, d.minimum)
        for s in rules.standards:
            if (
                d.title_code in s.titles
                and s.criterion == d.dimension
                and s.minimum
                and d.overlaps(s)
                and r < _rank(d.dimension, s.minimum)
            ):
                out.append(
                    DecisionProblem(
                        "minimum",
                        f"{who} yêu cầu {_label(d.dimension, d.minimum)}, thấp hơn mức "
                        f"{_label(d.dimension, s.minimum)} của {s.reference.render('vi')}: không được nới lỏng.",
                        f"{who_en} requires {d.minimum}, below the {s.minimum} of {s.reference.render('en')}: "
                        "a province may not loosen it.",
                    )
                )
    elif d.kind == "commune_quota":
        if d.unit_id is None:
            out.append(DecisionProblem("unit", "Cần chọn xã.", "Choose the commune."))
        if d.quota is None or d.quota < 1:
            out.append(
                DecisionProblem(
                    "quota", "Số lượng phải là số nguyên dương.", "The number must be a positive integer."
                )
            )
        for q in rules.quotas:
            if d.unit_kind in q.unit_kinds and d.overlaps(q) and not q.set_by_province:
                out.append(
                    DecisionProblem(
                        "valid_from",
                        f"{who}: trong thời gian từ {q.valid_from:%d/%m/%Y}"
                        f"{' đến ' + format(q.valid_to, '%d/%m/%Y') if q.valid_to else ''} số lượng do "
                        f"{q.reference.render('vi')} quy định, tỉnh không được quy định khác.",
                        f"{who_en}: from {q.valid_from} {('to ' + str(q.valid_to)) if q.valid_to else ''} the number is "
                        f"set by {q.reference.render('en')}; the province may not set another.",
                    )
                )
    return out


@dataclass
class ProvincialLayer:
    """The provincial decisions the engine applies (already checked by :func:`check_decision`)."""

    decisions: list[ProvincialDecision] = field(default_factory=list)

    def on(self, kind: str, on: date) -> list[ProvincialDecision]:
        return [d for d in self.decisions if d.kind == kind and d.in_force(on)]
