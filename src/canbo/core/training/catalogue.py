"""The course catalogue (issue 13 §1): what a province can send its commune staff to.

A :class:`Course` awards a level on one of the registry's scales (:mod:`canbo.core.scales`) —
upper-secondary education (remedial, *bổ túc văn hóa*), a professional degree in a field, a
level of political theory, state management, IT, a foreign or ethnic language — or none
(leadership programmes and job-position courses, which serve the yearly retraining duties of
Decree 171/2025 Art. 16(2)–(3): the state-management programme within 12 months of a leader's
appointment, at least one week (40 class periods) a year by job position).

Prerequisites are levels the learner must already hold: upper-secondary education before a
college or university degree (Law on Education 2019 Art. 39–40 — admission conditions; not read
here), the previous level of political theory before the next (Party rules, not read).

The shipped catalogue (``canbo/data/training_catalogue.yaml``) is plausible, not a province's
decision; the database copy (``canbo.training.models.Course``) is what a province edits.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from canbo.core.scales import is_valid_level, rank

__all__ = ["LONG_COURSE_MONTHS", "Course", "catalogue_from_rows", "default_catalogue"]

#: Courses of at least this many months take their learner away for a substantial part of a
#: year: one such course at a time per person, and they count against a commune's share of
#: staff away (issue 13 §3).
LONG_COURSE_MONTHS = 3


@dataclass(frozen=True)
class Course:
    """One course of the catalogue (issue 13 §1).

    ``dimension``/``level``: the qualification awarded on the registry's scales (empty for
    courses that award none); ``prerequisites``: (dimension, level) the learner must hold;
    ``cost``: VND for the whole course, paid in equal parts in each calendar year it runs;
    ``seats_per_year``: how many may start it in one year."""

    code: str
    name: str
    kind: str
    months: int
    cost: int
    seats_per_year: int
    dimension: str = ""
    level: str = ""
    field: str = ""
    provider: str = ""
    mode: str = "in_service"
    seats_per_intake: int = 0
    prerequisites: tuple[tuple[str, str], ...] = dataclasses.field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.months <= 0:
            raise ValueError(f"{self.code}: thời gian khóa học phải dương (months={self.months})")
        if self.cost < 0 or self.seats_per_year < 0:
            raise ValueError(f"{self.code}: kinh phí và chỉ tiêu không được âm")
        if bool(self.dimension) != bool(self.level):
            raise ValueError(f"{self.code}: cần cả lĩnh vực và trình độ đạt được, hoặc không có cả hai")
        for dim, lv in ((self.dimension, self.level), *self.prerequisites):
            if dim and not is_valid_level(dim, lv):
                raise ValueError(f"{self.code}: trình độ «{lv}» không thuộc thang «{dim}»")

    @property
    def awards_rank(self) -> int | None:
        return rank(self.dimension, self.level) if self.dimension else None

    @property
    def years(self) -> int:
        """Calendar years the course runs when it starts in January; its qualification counts
        from the following January (a qualification counts only after the course ends)."""
        return max(1, math.ceil(self.months / 12))

    @property
    def is_long(self) -> bool:
        return self.months >= LONG_COURSE_MONTHS

    @property
    def is_degree(self) -> bool:
        """A degree course (trung cấp, cao đẳng, đại học, thạc sĩ): counts against the yearly
        degree seats (the story's ~18 a year)."""
        return self.kind == "degree"

    def closes(self, dimension: str, required_level: str, fields: Iterable[str] | None = None) -> bool:
        """True if completing this course meets ``required_level`` on ``dimension`` (and, when
        ``fields`` is given, is in one of those fields of study)."""
        if self.dimension != dimension or not is_valid_level(dimension, required_level):
            return False
        if rank(dimension, self.level) < rank(dimension, required_level):
            return False
        return fields is None or self.field in set(fields)


def catalogue_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Course]:
    """Courses from mappings shaped like the catalogue file's entries."""
    out = []
    for r in rows:
        out.append(
            Course(
                code=r["code"],
                name=r["name"],
                kind=r["kind"],
                months=int(r["months"]),
                cost=int(r["cost"]),
                seats_per_year=int(r["seats_per_year"]),
                dimension=r.get("dimension") or "",
                level=r.get("level") or "",
                field=r.get("field") or "",
                provider=r.get("provider") or "",
                mode=r.get("mode") or "in_service",
                seats_per_intake=int(r.get("seats_per_intake") or 0),
                prerequisites=tuple((str(d), str(lv)) for d, lv in (r.get("prerequisites") or [])),
            )
        )
    codes = [c.code for c in out]
    if len(codes) != len(set(codes)):
        raise ValueError("mã khóa học bị trùng trong danh mục")
    return out


def default_catalogue() -> list[Course]:
    """The shipped catalogue (``canbo/data/training_catalogue.yaml``)."""
    text = resources.files("canbo.data").joinpath("training_catalogue.yaml").read_text("utf-8")
    return catalogue_from_rows(yaml.safe_load(text)["courses"])
