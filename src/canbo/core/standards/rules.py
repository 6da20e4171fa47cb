"""Loading and validating the rule files (``src/canbo/rules/*.yaml``).

The format is described in ``docs/rules.md``. In short: one file per legal instrument, every
entry dated (``valid_from``/``valid_to``, inclusive), carrying its reference (article, clause,
point) and a Vietnamese and English message — OpenFisca's parameters, for the standards,
quotas, retirement ages and eligibility rules of commune cadres and civil servants.

Validation is strict, because a wrong rule silently changes every verdict: an unknown key, a
malformed date, a period ending before it starts, two entries on the same thing whose periods
overlap, a level that does not exist on its scale, a title or field code that does not exist,
a missing reference or message — each is reported with the file and line, all problems at once,
and :func:`load_rules` raises :class:`RuleFileError`. The adapters load the rules at start-up,
so the system does not start on broken rules.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from canbo.core.scales import FIELDS_OF_STUDY, SCALES, Dimension
from canbo.core.vocab import AreaFlag, AssignmentStart, DisciplineForm, Rating, TitleKind, UnitClass, UnitKind

__all__ = [
    "AREA_FLAGS",
    "CRITERIA",
    "DEFAULT_RULES_DIR",
    "DisciplineEffect",
    "Eligibility",
    "Establishment",
    "Exception",
    "Instrument",
    "Quota",
    "Reference",
    "RetirementRule",
    "RuleFileError",
    "RuleProblem",
    "RuleSet",
    "Standard",
    "default_rules",
    "load_rules",
]

#: Where the national rule files live (``src/canbo/rules``).
DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
TITLES_FILE = Path(__file__).resolve().parents[2] / "data" / "titles.yaml"

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


# --------------------------------------------------------------------------- YAML with lines


class _Map(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    lines: dict


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps (we parse dates ourselves, to report bad ones)
    and with line numbers on mappings; duplicate keys are errors."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    m = _Map()
    m.line = node.start_mark.line + 1
    m.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in m:
            raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
        m[key] = loader.construct_object(value_node, deep=True)
        m.lines[key] = key_node.start_mark.line + 1
    return m


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


# --------------------------------------------------------------------------- the loader


class _File:
    """Parsing context of one file: collects problems with their lines."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.name = display
        self.problems: list[RuleProblem] = []

    def problem(self, line: int, vi: str, en: str) -> None:
        self.problems.append(RuleProblem(self.name, line, vi, en))

    def line_of(self, m: _Map, key: str) -> int:
        return m.lines.get(key, m.line) if isinstance(m, _Map) else 0

    def keys(
        self, m: Any, where: str, required: Iterable[str], optional: Iterable[str], line: int = 0
    ) -> bool:
        if not isinstance(m, _Map):
            self.problem(line, f"'{where}' phải là một bảng khóa–giá trị", f"'{where}' must be a mapping")
            return False
        required, optional = set(required), set(optional)
        ok = True
        for k in m:
            if k not in required | optional:
                self.problem(
                    m.lines[k], f"Khóa không hợp lệ '{k}' trong {where}", f"Unknown key '{k}' in {where}"
                )
                ok = False
        for k in sorted(required - set(m)):
            self.problem(
                m.line, f"Thiếu khóa bắt buộc '{k}' trong {where}", f"Missing required key '{k}' in {where}"
            )
            ok = False
        return ok

    def date(self, m: _Map, key: str, required: bool = True) -> date | None:
        value = m.get(key)
        if value is None:
            if required:
                self.problem(m.line, f"Thiếu ngày '{key}'", f"Missing date '{key}'")
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(
                self.line_of(m, key),
                f"Ngày không hợp lệ '{value}' ở '{key}' (cần dạng YYYY-MM-DD)",
                f"Malformed date '{value}' in '{key}' (expected YYYY-MM-DD)",
            )
            return None

    def text(self, m: _Map, key: str, where: str) -> str:
        value = m.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(
                self.line_of(m, key),
                f"'{key}' của {where} phải là chuỗi không rỗng",
                f"'{key}' of {where} must be a non-empty string",
            )
            return ""
        return value.strip()

    def integer(self, m: _Map, key: str, minimum: int = 0) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(
                self.line_of(m, key),
                f"'{key}' phải là số nguyên ≥ {minimum}, không phải '{value}'",
                f"'{key}' must be an integer ≥ {minimum}, not '{value}'",
            )
            return None
        return value

    def codes(self, m: _Map, key: str, allowed: Iterable[str], what_vi: str, what_en: str) -> frozenset[str]:
        value = m.get(key)
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                self.line_of(m, key), f"'{key}' phải là danh sách mã", f"'{key}' must be a list of codes"
            )
            return frozenset()
        allowed = set(allowed)
        for v in value:
            if v not in allowed:
                self.problem(
                    self.line_of(m, key),
                    f"{what_vi} không tồn tại: '{v}' (ở '{key}')",
                    f"Unknown {what_en}: '{v}' (in '{key}')",
                )
        return frozenset(v for v in value if v in allowed)


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
    note = str(m.get("verification_note") or "").strip()
    if verified is not True and not note:
        f.problem(
            line,
            f"{where}: ngoại lệ verified: false cần verification_note",
            f"{where}: an exception with verified: false needs a verification_note",
        )
    return Exception(
        kind=kind,
        minimum=m.get("minimum"),
        areas=areas,
        requires_provincial_decision=bool(m.get("requires_provincial_decision", False)),
        in_post_before=in_post_before,
        years_from_unit_creation=years,
        until=until,
        reference=_reference(f, m, instrument, f"ngoại lệ của {where}"),
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
    if criterion in LEVEL_CRITERIA or criterion == "field_of_study":
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
        sex=sex,
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
        purpose=purpose,
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


def load_titles(path: Path = TITLES_FILE) -> dict[str, dict[str, Any]]:
    """The title catalogue (``data/titles.yaml``): code → {kind, valid_from, valid_to, …}."""
    rows = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    out = {}
    for r in rows:
        vf, vt = r.get("valid_from"), r.get("valid_to")
        out[r["code"]] = {
            "name": r["name"],
            "kind": r["kind"],
            "leadership": bool(r.get("leadership")),
            "valid_from": date.fromisoformat(vf) if vf else None,
            "valid_to": date.fromisoformat(vt) if vt else None,
            "order": r.get("order", 100),
        }
    return out


def _load_file(path: Path, display: str, titles: dict, rules: RuleSet) -> list[RuleProblem]:
    f = _File(path, display)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except _DuplicateKey as e:
        f.problem(e.line, f"Khóa bị lặp '{e.key}'", f"Duplicate key '{e.key}'")
        return f.problems
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        f.problem(
            mark.line + 1 if mark else 0,
            f"Lỗi cú pháp YAML: {getattr(e, 'problem', e)}",
            f"YAML syntax error: {getattr(e, 'problem', e)}",
        )
        return f.problems
    except UnicodeDecodeError:
        f.problem(0, "Tệp không phải UTF-8", "The file is not UTF-8")
        return f.problems
    if not f.keys(doc, "tệp", ["instrument"], _SECTIONS, 1) and (
        not isinstance(doc, _Map) or "instrument" not in doc
    ):
        return f.problems
    head = doc["instrument"]
    hl = doc.lines["instrument"]
    if not f.keys(
        head,
        "instrument",
        ["code", "name_vi", "name_en", "short_vi", "source"],
        ["issued", "in_force", "verified", "verification_note"],
        hl,
    ) and not isinstance(head, _Map):
        return f.problems
    code = head.get("code")
    if code != path.stem:
        f.problem(
            head.lines.get("code", hl),
            f"Mã văn bản '{code}' phải trùng tên tệp '{path.stem}'",
            f"Instrument code '{code}' must equal the file name '{path.stem}'",
        )
    verified = head.get("verified", True)
    note = str(head.get("verification_note") or "").strip()
    if verified is False and not note:
        f.problem(hl, "verified: false cần verification_note", "verified: false needs a verification_note")
    instrument = Instrument(
        code=str(code),
        name_vi=str(head.get("name_vi", "")),
        name_en=str(head.get("name_en", "")),
        short_vi=str(head.get("short_vi", "")),
        issued=f.date(head, "issued", required=False),
        in_force=f.date(head, "in_force", required=False),
        verified=verified is not False,
        verification_note=note,
        source=str(head.get("source", "")),
        path=display,
    )
    if instrument.code in rules.instruments:
        f.problem(
            hl,
            f"Văn bản '{code}' đã có ở tệp khác",
            f"Instrument '{code}' is already defined in another file",
        )
    rules.instruments[instrument.code] = instrument
    for section in _SECTIONS:
        entries = doc.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            f.problem(doc.lines[section], f"'{section}' phải là danh sách", f"'{section}' must be a list")
            continue
        for m in entries:
            if not isinstance(m, _Map):
                f.problem(
                    doc.lines[section],
                    f"Mỗi mục của '{section}' phải là bảng khóa–giá trị",
                    f"Each entry of '{section}' must be a mapping",
                )
                continue
            entry = _PARSERS[section](f, m, instrument, titles)
            if entry is not None:
                getattr(rules, section).append(entry)
    return f.problems


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


def load_rules(
    directories: Iterable[Path | str] | Path | str | None = None, *, titles_file: Path = TITLES_FILE
) -> RuleSet:
    """Load and validate every ``*.yaml`` rule file in ``directories`` (default: the national
    rules in ``src/canbo/rules``). Raises :class:`RuleFileError` listing every problem."""
    if directories is None:
        directories = [DEFAULT_RULES_DIR]
    elif isinstance(directories, (str, Path)):
        directories = [directories]
    titles = load_titles(titles_file)
    rules = RuleSet(titles=titles)
    problems: list[RuleProblem] = []
    files = []
    for d in directories:
        d = Path(d)
        if not d.is_dir():
            problems.append(
                RuleProblem(str(d), 0, "Không tìm thấy thư mục quy tắc", "Rule directory not found")
            )
            continue
        files += sorted(d.glob("*.yaml"))
    if not files and not problems:
        problems.append(
            RuleProblem(", ".join(map(str, directories)), 0, "Không có tệp quy tắc nào", "No rule files")
        )
    for path in files:
        problems += _load_file(path, _display(path), titles, rules)
    if not problems:
        problems += _overlaps(rules)
    if problems:
        raise RuleFileError(problems)
    return rules


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DEFAULT_RULES_DIR.parents[2]))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The national rule set, loaded once per process."""
    return load_rules()
