"""Findings and staffing for the adapters: the one place they get them from.

Admin pages, the ``canbo standards check`` and ``canbo standards staffing`` commands, reports and (later) the API
call these functions, so that a number is the same everywhere (DESIGN.md principle 5). Each
is a thin composition of the database snapshot (:func:`canbo.standards.snapshot.load_snapshot`)
and the pure engine (:func:`canbo.core.standards.engine.evaluate`,
:func:`canbo.core.standards.staffing.analyse_staffing`):

    snapshot → evaluate (national rules + provincial layer) → findings → analyse_staffing

``rules`` defaults to the national rules of this process (:func:`national_rules`); pass
``national_rules().with_draft(load_rules(DIR))`` to ask what a draft rule set would find.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from canbo.core.standards.engine import evaluate
from canbo.core.standards.provincial import ProvincialLayer
from canbo.core.standards.rules import RuleSet
from canbo.core.standards.snapshot import Snapshot
from canbo.core.standards.staffing import StaffingReport, analyse_staffing
from canbo.registry.models import Person, Unit

from .snapshot import load_snapshot

__all__ = [
    "Check",
    "check",
    "findings_for_person",
    "findings_for_unit",
    "national_rules",
    "provincial_layer",
    "staffing",
    "staffing_for_unit",
]


def national_rules() -> RuleSet:
    """The national rule set of this process, loaded and validated once
    (:mod:`canbo.standards.rules_cache`; directories from ``CANBO_RULES_DIRS``)."""
    from .rules_cache import national_rules as cached

    return cached()


def provincial_layer() -> ProvincialLayer:
    """Every stored provincial decision (admin: *Quyết định của tỉnh*) as the core's layer.
    Each decision names its province, so one layer serves every unit."""
    from .models import ProvincialDecision

    return ProvincialLayer([d.to_core() for d in ProvincialDecision.objects.select_related("title", "unit")])


@dataclass(frozen=True)
class Check:
    """What one evaluation used and found: the snapshot (people, posts and units, for names
    and labels), the findings (:data:`canbo.core.standards.engine.FINDING_SCHEMA`) and the
    rules applied."""

    on: date
    snapshot: Snapshot
    findings: pl.DataFrame
    rules: RuleSet
    provincial: ProvincialLayer


def check(
    on: date,
    unit: Unit | None = None,
    person_ids: Sequence[int] | None = None,
    rules: RuleSet | None = None,
    provincial: ProvincialLayer | None = None,
) -> Check:
    """Load the snapshot of ``unit``'s subtree (``None``: the whole country) and/or of the
    people ``person_ids`` on ``on`` and evaluate every post held on that day."""
    rules = rules or national_rules()
    layer = provincial if provincial is not None else provincial_layer()
    # A check of some people only (a person's page) needs no quota figures.
    snapshot = load_snapshot(
        on, unit=unit, person_ids=person_ids, conduct=False, staffing=unit is not None or person_ids is None
    )
    return Check(on, snapshot, evaluate(snapshot, on, rules, layer), rules, layer)


def staffing(result: Check) -> StaffingReport:
    """The staffing analysis (quota, headcount, *thừa, thiếu, yếu*) of a :func:`check` result."""
    return analyse_staffing(result.snapshot, result.findings, result.on, result.rules, result.provincial)


def findings_for_person(person: Person | int, on: date, rules: RuleSet | None = None) -> pl.DataFrame:
    """The findings of one person's posts held on ``on`` (the person page)."""
    pid = person if isinstance(person, int) else person.pk
    return check(on, person_ids=[pid], rules=rules).findings


def findings_for_unit(unit: Unit | None, on: date, rules: RuleSet | None = None) -> pl.DataFrame:
    """The findings of every post held on ``on`` in ``unit`` and the units below it."""
    return check(on, unit=unit, rules=rules).findings


def staffing_for_unit(unit: Unit | None, on: date, rules: RuleSet | None = None) -> StaffingReport:
    """The staffing analysis of every commune of ``unit``'s subtree on ``on``, with the
    district and province roll-ups."""
    return staffing(check(on, unit=unit, rules=rules))
