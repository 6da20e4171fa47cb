"""The rule model: what a rule file says, once loaded and validated.

A rule file is one legal instrument (:class:`Instrument`: law, decree, circular, Party
regulation) with its dated entries, each carrying its :class:`Reference` (article, clause,
point) and a Vietnamese and English message — OpenFisca's parameters, in the format of
``docs/rules.md``: the qualification standards of each title (:class:`Standard`, with the
difficult-area and transition :class:`Exception` of Decree 33/2023 Art. 8(4), 10(2), Law
80/2025 Art. 45), the quotas (:class:`Quota`, Decree 33/2023 Art. 6), the establishment of
titles per kind of unit (:class:`Establishment`), the retirement ages (:class:`RetirementRule`,
Labour Code 2019 Art. 169), the eligibility conditions (:class:`Eligibility`) and the effects of
discipline (:class:`DisciplineEffect`). :class:`RuleSet` holds them all and applies a draft
(:meth:`RuleSet.with_draft`). :class:`RuleProblem` and :class:`RuleFileError` report what is
wrong in a file.

Also here: the codes a rule file may use (:data:`CRITERIA`, :data:`AREA_FLAGS`, :data:`RATINGS`
…), derived from the core's vocabularies (:mod:`canbo.core.vocab`, :mod:`canbo.core.scales`).
Reading the files is :mod:`.loading`; checking each section is :mod:`.sections`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from canbo.core.scales import Dimension
from canbo.core.vocab import AreaFlag, AssignmentStart, DisciplineForm, Rating, TitleKind, UnitClass, UnitKind

LEVEL_CRITERIA = {d.value for d in Dimension}
#: Criteria a standard may check (docs/rules.md, "standards").
CRITERIA = LEVEL_CRITERIA | {"field_of_study", "age_minimum", "retirement_age", "term_at_appointment"}
#: The codes rule files may use, derived from the core's vocabularies (canbo.core.vocab).
AREA_FLAGS = AreaFlag.codes()
UNIT_KINDS = UnitKind.commune_level()
UNIT_CLASSES = UnitClass.ordered()
TITLE_KINDS = TitleKind.codes()
START_REASONS = AssignmentStart.codes()
DISCIPLINE_FORMS = DisciplineForm.codes()
RATINGS = Rating.ranked()
PURPOSES = frozenset(
    {
        "degree_training",
        "postgraduate_training",
        "succession_tier_1",
        "succession_tier_2",
        "appointment",
        # the minimum age (``min_age``) to hold any commune post / to be admitted to the Party
        # (read by :func:`canbo.core.age.minimum_age`)
        "employment",
        "party_admission",
    }
)
BARS = frozenset({"training", "planning", "appointment", "promotion", "transfer", "election"})
CONDITIONS = frozenset(
    {
        "min_service_years",
        "recent_evaluations",
        "max_age",
        "min_age",
        "min_months_to_retirement",
        "political_theory_minimum",
        "no_discipline_in_effect",
        "ethnic_minority_or_difficult_area",
    }
)


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Instrument:
    """A legal instrument (law, decree, circular, Party regulation) — the header of a rule file."""

    code: str
    name_vi: str
    name_en: str
    short_vi: str
    issued: date | None
    in_force: date | None
    verified: bool
    verification_note: str
    source: str
    path: str


@dataclass(frozen=True)
class Reference:
    """Where in an instrument a rule comes from: article, clause, point."""

    instrument: Instrument
    article: str
    clause: str = ""
    point: str = ""
    note: str = ""

    def render(self, lang: str = "vi") -> str:
        """E.g. "NĐ 33/2023, Điều 10, khoản 1, điểm c" (vi) or "NĐ 33/2023, Art. 10(1)(c)" (en)."""
        if lang == "en":
            s = f"{self.instrument.short_vi}, Art. {self.article}"
            s += f"({self.clause})" if self.clause else ""
            s += f"({self.point})" if self.point else ""
        else:
            s = f"{self.instrument.short_vi}, Điều {self.article}"
            s += f", khoản {self.clause}" if self.clause else ""
            s += f", điểm {self.point}" if self.point else ""
        if self.note:
            s += f" ({self.note})"
        return s

    def __str__(self) -> str:
        return self.render("vi")


@dataclass(frozen=True)
class _Entry:
    id: str
    valid_from: date
    valid_to: date | None
    reference: Reference
    message_vi: str
    message_en: str
    verified: bool
    verification_note: str
    file: str
    line: int

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def overlaps(self, start: date, end: date | None) -> bool:
        return (end is None or self.valid_from <= end) and (self.valid_to is None or start <= self.valid_to)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Exception:  # noqa: A001 - the legal word; shadowing is confined to this module's users
    """A lowered minimum for some posts: the difficult-area exception (Decree 33/2023 Art. 8(4),
    Art. 10(2)) or a transition window (Law 80/2025 Art. 45; Circular 13/2019)."""

    kind: str  # difficult_area | transition
    minimum: str
    areas: frozenset[str]
    requires_provincial_decision: bool
    in_post_before: date | None
    years_from_unit_creation: int | None
    until: date | None
    reference: Reference
    message_vi: str
    message_en: str
    line: int
    verified: bool = True
    verification_note: str = ""


@dataclass(frozen=True)
class Standard(_Entry):
    """What the holder of a title must have on one criterion, for a period."""

    titles: tuple[str, ...] = ()
    criterion: str = ""
    minimum: str | None = None
    accepted: frozenset[str] = frozenset()
    years: int | None = None
    months: int | None = None
    start_reasons: frozenset[str] = frozenset()
    exceptions: tuple[Exception, ...] = ()


@dataclass(frozen=True)
class Quota(_Entry):
    """The number of cadres and civil servants a kind of unit may have, by class, with the
    population and area increments of Decree 33/2023 Art. 6(2)."""

    unit_kinds: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()
    by_class: Mapping[str, int] = field(default_factory=dict)
    increments: Mapping[str, Any] = field(default_factory=dict)
    set_by_province: bool = False
    #: where the province sets each unit's number: the national average the text gives (QĐ
    #: 759/QĐ-TTg: about 32), used by the synthetic generator only, never as a unit's quota
    average: int | None = None


@dataclass(frozen=True)
class Establishment(_Entry):
    """The titles a kind of unit must have filled, with minimum and maximum holders."""

    unit_kinds: frozenset[str] = frozenset()
    titles: Mapping[str, tuple[int, int | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class RetirementRule(_Entry):
    """The normal retirement age for one sex from a year on (Labour Code 2019 Art. 169)."""

    sex: str = ""
    age_months: int = 0
    step_months_per_year: int = 0
    cap_months: int | None = None


@dataclass(frozen=True)
class Eligibility(_Entry):
    """Conditions for training, succession planning or appointment."""

    purpose: str = ""
    conditions: Mapping[str, Any] = field(default_factory=dict)
    service_commitment_multiple: float | None = None


@dataclass(frozen=True)
class DisciplineEffect(_Entry):
    """How long a discipline decision bars a person, by form and decision date."""

    forms: frozenset[str] = frozenset()
    months: int = 0
    bars: frozenset[str] = frozenset()


@dataclass
class RuleSet:
    """All rule entries of a set of rule files, validated."""

    instruments: dict[str, Instrument] = field(default_factory=dict)
    standards: list[Standard] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    establishment: list[Establishment] = field(default_factory=list)
    retirement: list[RetirementRule] = field(default_factory=list)
    eligibility: list[Eligibility] = field(default_factory=list)
    discipline_effects: list[DisciplineEffect] = field(default_factory=list)
    titles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def standards_on(self, on: date) -> list[Standard]:
        return [s for s in self.standards if s.in_force(on)]

    def entry(self, rule_id: str) -> _Entry:
        for section in (
            self.standards,
            self.quotas,
            self.establishment,
            self.retirement,
            self.eligibility,
            self.discipline_effects,
        ):
            for e in section:
                if e.id == rule_id:
                    return e
        raise KeyError(rule_id)

    def with_draft(self, draft: RuleSet) -> RuleSet:
        """A reform, OpenFisca-style: ``draft``'s entries take over from their ``valid_from``.

        Each national standard on the same title × criterion as a draft standard ends the day
        before the draft starts (or is dropped if it starts later); likewise quotas per unit
        kind, establishment per unit kind, eligibility per purpose × condition, retirement per sex and
        discipline effects per form. "Who would fall short if these rules applied on
        1/7/2030?" is then ``evaluate(snapshot, date(2030, 7, 1), rules.with_draft(draft))``.
        """

        def cut(old: list, new: list, keys) -> list:
            out = []
            for e in old:
                for d in new:
                    if keys(e) & keys(d) and e.overlaps(d.valid_from, d.valid_to):
                        if e.valid_from >= d.valid_from:
                            e = None
                            break
                        e = replace(e, valid_to=d.valid_from - timedelta(days=1))
                if e is not None:
                    out.append(e)
            return out + list(new)

        return RuleSet(
            instruments={**self.instruments, **draft.instruments},
            standards=cut(self.standards, draft.standards, lambda s: {(t, s.criterion) for t in s.titles}),
            quotas=cut(self.quotas, draft.quotas, lambda q: set(q.unit_kinds)),
            establishment=cut(self.establishment, draft.establishment, lambda q: set(q.unit_kinds)),
            retirement=cut(self.retirement, draft.retirement, lambda r: {r.sex}),
            eligibility=cut(
                self.eligibility, draft.eligibility, lambda e: {(e.purpose, c) for c in e.conditions}
            ),
            discipline_effects=cut(self.discipline_effects, draft.discipline_effects, lambda e: set(e.forms)),
            titles=self.titles,
        )


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong in a rule file, with where it is."""

    file: str
    line: int
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message_vi} / {self.message_en}"


class RuleFileError(ValueError):
    """Raised when rule files are broken; ``problems`` lists every problem found."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        head = (
            f"Tệp quy tắc không hợp lệ ({len(problems)} lỗi) / Invalid rule files ({len(problems)} problems):"
        )
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))
