"""Vietnam's 54 ethnic groups with their official two-digit codes.

Source: General Statistics Office, Decision 121-TCTK/PPCĐ of 2/3/1979, "Danh mục các thành phần
dân tộc Việt Nam" (01 Kinh … 54 Rơ-măm). The data live in ``canbo/data/ethnic_groups.csv``;
``ethnic_groups.SOURCE.md`` next to it names the sources it was cross-checked against and warns
about the different 2008 numbering (Decision 1019/QĐ-TCTK).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["KINH_CODE", "EthnicGroup", "ethnic_group", "load_ethnic_groups"]

#: Code of the Kinh (Việt) majority group (Decision 121-TCTK/PPCĐ).
KINH_CODE = "01"


@dataclass(frozen=True)
class EthnicGroup:
    """One ethnic group: two-digit code, Vietnamese name, English/alternative name, other names."""

    code: str
    name_vi: str
    name_en_or_alt: str
    other_names: tuple[str, ...]

    @property
    def is_minority(self) -> bool:
        """True for the 53 ethnic minorities (every group except Kinh)."""
        return self.code != KINH_CODE


@cache
def load_ethnic_groups() -> tuple[EthnicGroup, ...]:
    """Read ``canbo/data/ethnic_groups.csv`` (GSO Decision 121-TCTK/PPCĐ codes), in code order."""
    text = resources.files("canbo.data").joinpath("ethnic_groups.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    groups = tuple(
        EthnicGroup(
            code=row["code"].strip(),
            name_vi=row["name_vi"].strip(),
            name_en_or_alt=row["name_en_or_alt"].strip(),
            other_names=tuple(n.strip() for n in row["other_names"].split(";") if n.strip()),
        )
        for row in rows
    )
    return tuple(sorted(groups, key=lambda g: g.code))


def ethnic_group(code: str) -> EthnicGroup:
    """The group with two-digit ``code`` (``"1"`` is accepted for ``"01"``); KeyError if none."""
    wanted = code.strip().zfill(2)
    for group in load_ethnic_groups():
        if group.code == wanted:
            return group
    raise KeyError(f"Mã dân tộc '{code}' không tồn tại")
