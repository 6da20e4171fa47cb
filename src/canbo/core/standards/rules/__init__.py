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

The package is split along its seams: :mod:`.model` (the instruments, entries, rule set and
problems), :mod:`.reader` (YAML with line numbers, the per-file problem collector),
:mod:`.sections` (each section's entries checked, overlaps across files) and :mod:`.loading`
(files and directories, the title catalogue, the national rule set). The names below are
re-exported so that ``canbo.core.standards.rules`` keeps its interface.
"""

from __future__ import annotations

from .loading import DEFAULT_RULES_DIR, TITLES_FILE, default_rules, load_rules, load_titles
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
    Exception,  # noqa: A004 - the legal word, as before the split
    Instrument,
    Quota,
    Reference,
    RetirementRule,
    RuleFileError,
    RuleProblem,
    RuleSet,
    Standard,
)

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
    # the other codes a rule file may use, and the title catalogue (importable here before the split)
    "BARS",
    "CONDITIONS",
    "DISCIPLINE_FORMS",
    "LEVEL_CRITERIA",
    "PURPOSES",
    "RATINGS",
    "START_REASONS",
    "TITLE_KINDS",
    "UNIT_CLASSES",
    "UNIT_KINDS",
    "TITLES_FILE",
    "load_titles",
]
