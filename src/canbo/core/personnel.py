"""The vocabularies of the personnel file — the résumé "Sơ yếu lý lịch cán bộ, công chức",
Mẫu 2C-BNV/2008 (Quyết định 02/2008/QĐ-BNV) — as data, free of Django.

* :data:`RELIGIONS`: the religions recognised by the State (item 7 of the form), as the
  Government Committee for Religious Affairs (Ban Tôn giáo Chính phủ) lists them under the Law
  on Belief and Religion (Luật Tín ngưỡng, tôn giáo 02/2016/QH14): 16 religions. "Không" (none)
  first, as the form is most often filled.
* :data:`RANKS`: the civil-service ranks (*ngạch*) a commune civil servant holds, their codes
  (Thông tư 02/2021/TT-BNV, Art. 3) and their salary scale (Nghị định 204/2004/NĐ-CP, bảng 2,
  in force from 01/10/2004): the group, the first coefficient, the increment per step and the
  number of steps. Item 14 and the salary table (item 31) of the form.
* :func:`check_step`: a step beyond its rank's scale, or a coefficient that is not the step's,
  is refused (with the reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: The form's item 7 when the person follows no religion.
NO_RELIGION = "Không"

#: The 16 religions recognised in Viet Nam (Ban Tôn giáo Chính phủ, Luật 02/2016/QH14).
RELIGIONS: tuple[str, ...] = (
    NO_RELIGION,
    "Phật giáo",
    "Công giáo",
    "Tin lành",
    "Cao Đài",
    "Phật giáo Hòa Hảo",
    "Hồi giáo",
    "Tôn giáo Baha'i",
    "Tịnh độ Cư sĩ Phật hội Việt Nam",
    "Cơ đốc Phục lâm",
    "Phật giáo Tứ Ân Hiếu Nghĩa",
    "Minh Sư Đạo",
    "Minh Lý Đạo - Tam Tông Miếu",
    "Bà-la-môn giáo",
    "Giáo hội Các Thánh hữu Ngày sau của Chúa Giê-su Ky-tô (Mặc Môn)",
    "Phật giáo Hiếu Nghĩa Tà Lơn",
    "Bửu Sơn Kỳ Hương",
)

#: The date the salary scales of Nghị định 204/2004/NĐ-CP apply from.
SCALE_FROM = date(2004, 10, 1)
SCALE_REFERENCE = "Nghị định 204/2004/NĐ-CP, bảng 2"


@dataclass(frozen=True)
class Rank:
    """A civil-service rank (*ngạch*): its code, name and salary scale."""

    code: str
    name: str
    group: str
    first: Decimal
    increment: Decimal
    steps: int

    def coefficient(self, step: int) -> Decimal:
        """The salary coefficient of ``step`` (1-based) of this rank's scale."""
        return self.first + self.increment * (step - 1)


#: The ranks of commune civil servants and their scales (Thông tư 02/2021/TT-BNV Art. 3;
#: Nghị định 204/2004/NĐ-CP bảng 2).
RANKS: dict[str, Rank] = {
    r.code: r
    for r in (
        Rank("01.001", "Chuyên viên cao cấp", "A3.1", Decimal("6.20"), Decimal("0.36"), 6),
        Rank("01.002", "Chuyên viên chính", "A2.1", Decimal("4.40"), Decimal("0.34"), 8),
        Rank("01.003", "Chuyên viên", "A1", Decimal("2.34"), Decimal("0.33"), 9),
        Rank("01.004", "Cán sự", "A0", Decimal("2.10"), Decimal("0.31"), 10),
        Rank("01.005", "Nhân viên", "B", Decimal("1.86"), Decimal("0.20"), 12),
    )
}


@dataclass(frozen=True)
class StepIssue:
    """A salary step or coefficient the scale refuses, in both languages."""

    field: str
    message_vi: str
    message_en: str


def check_step(code: str, step: int | None, coefficient: Decimal | None, on: date | None) -> list[StepIssue]:
    """The problems of ``step`` and ``coefficient`` of rank ``code`` on ``on``: a step beyond the
    rank's scale, or a coefficient other than the step's. Before :data:`SCALE_FROM` the scales of
    the time (Nghị định 25/CP 1993) applied and are not checked."""
    rank = RANKS.get(code)
    if rank is None or step is None or (on is not None and on < SCALE_FROM):
        return []
    if not 1 <= step <= rank.steps:
        return [
            StepIssue(
                "step",
                f"Bậc {step} vượt quá thang lương của ngạch {rank.name} (mã {rank.code}, loại "
                f"{rank.group}): chỉ có từ bậc 1 đến bậc {rank.steps} ({SCALE_REFERENCE}).",
                f"Step {step} is beyond the scale of rank {rank.name} ({rank.code}, group "
                f"{rank.group}): steps 1 to {rank.steps} only ({SCALE_REFERENCE}).",
            )
        ]
    expected = rank.coefficient(step)
    if coefficient is not None and Decimal(coefficient) != expected:
        return [
            StepIssue(
                "coefficient",
                f"Hệ số lương bậc {step} ngạch {rank.name} là {expected:.2f}, không phải "
                f"{Decimal(coefficient):.2f} ({SCALE_REFERENCE}).",
                f"The coefficient of step {step} of rank {rank.name} is {expected:.2f}, not "
                f"{Decimal(coefficient):.2f} ({SCALE_REFERENCE}).",
            )
        ]
    return []
