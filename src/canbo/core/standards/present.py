"""Words for findings: labels of criteria, statuses, bases and values, in Vietnamese and English.

Used by every adapter (admin pages, the ``canbo standards check`` / ``canbo standards staffing`` commands, the
xlsx exports) so that a finding reads the same everywhere.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from canbo.core.formatting import fmt_date
from canbo.core.formatting import lang_index as _i
from canbo.core.scales import DIMENSION_LABELS, FIELDS_OF_STUDY, SCALES, Dimension

__all__ = ["CRITERION_LABELS", "STATUS_LABELS", "BASIS_LABELS", "describe", "value_label"]

CRITERION_LABELS: dict[str, tuple[str, str]] = {
    **{d.value: labels for d, labels in DIMENSION_LABELS.items()},
    "field_of_study": ("Ngành đào tạo", "Field of study"),
    "age_minimum": ("Tuổi tối thiểu", "Minimum age"),
    "retirement_age": ("Tuổi nghỉ hưu", "Retirement age"),
    "term_at_appointment": (
        "Đủ tuổi công tác trọn nhiệm kỳ khi bầu, bổ nhiệm",
        "Can serve a full term when elected or appointed",
    ),
}
STATUS_LABELS = {
    "met": ("Đạt", "Met"),
    "unmet": ("Chưa đạt", "Not met"),
    "unknown": ("Chưa đủ dữ liệu", "Unknown (missing data)"),
}
BASIS_LABELS = {
    "standard": ("theo tiêu chuẩn", "by the standard"),
    "exception": ("theo ngoại lệ vùng khó khăn", "by the difficult-area exception"),
    "transition": ("trong thời hạn chuyển tiếp", "within the transition period"),
}
CATEGORY_LABELS = {
    "below_standard": ("Chưa đạt chuẩn (yếu)", "Below standard"),
    "field_mismatch": ("Trái ngành", "Field mismatch"),
    "missing_data": ("Thiếu dữ liệu", "Missing data"),
}


def value_label(criterion: str, value: str | None, lang: str = "vi") -> str:
    """A required or actual value as words: a level label, field names, years, months, a date."""
    if value is None or value == "":
        return "—"
    i = _i(lang)
    if criterion in {d.value for d in Dimension}:
        for lv in SCALES[Dimension(criterion)]:
            if lv.code == value:
                return lv.label_en if i else lv.label_vi
        return value
    if criterion == "field_of_study":
        return ", ".join(FIELDS_OF_STUDY.get(f.strip(), (f, f))[i] for f in value.split(","))
    if criterion in ("age_minimum",):
        return f"{value} {'years' if i else 'tuổi'}"
    if criterion == "term_at_appointment":
        return f"{value} {'months' if i else 'tháng'}"
    if criterion == "retirement_age":
        try:
            # A date, or a range of dates when the birth date is known only to the month or
            # year ("2044-02-01–2045-01-01"): each written as dates are.
            return "–".join(fmt_date(date.fromisoformat(part), lang) for part in value.split("–"))
        except ValueError:
            return f"{value} {'years' if i else 'tuổi'}"
    return value


def describe(findings: pl.DataFrame, lang: str = "vi") -> list[dict]:
    """Findings as dicts with words: criterion, status, basis, required, actual, deadline,
    reference, message, and the reason of an unknown verdict — what a page or a report shows."""
    i = _i(lang)
    out = []
    for r in findings.iter_rows(named=True):
        c = r["criterion"]
        out.append(
            {
                **r,
                "criterion_label": CRITERION_LABELS.get(c, (c, c))[i],
                "status_label": STATUS_LABELS[r["status"]][i],
                "basis_label": BASIS_LABELS[r["basis"]][i] if r.get("basis") else "",
                "required_label": value_label(c, r["required"], lang),
                "actual_label": value_label(c, r["actual"], lang),
                "deadline_label": fmt_date(r.get("deadline"), lang),
                "message": r["message_en"] if i else r["message_vi"],
                # why an unknown verdict is unknown (a birth date known only to the month or year)
                "reason": (r.get("reason_en") if i else r.get("reason_vi")) or "",
            }
        )
    return out
