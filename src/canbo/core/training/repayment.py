"""What a civil servant repays when they leave before the service commitment of a training paid
for them (issue 13 §5), by the rules of the date of the event (``canbo/data/training_repayment.yaml``).

Decree 171/2025/NĐ-CP from 1/7/2025: Art. 6 (the cases: postgraduate training paid by the State
or the agency), Art. 7(2)(a) (100 % when quitting or dismissed during the training, or no degree
awarded), Art. 7(2)(b) (pro rata ``S = F × (T1 − T2) / T1``: F the cost paid for the person, T1
the months of service committed after the training, T2 the months served, rounded months),
Art. 8(1) (no repayment: serious illness, disaster or epidemic when no degree was awarded;
transfer within the political system), Art. 8(2) (reduced by 1.5 % a year of service before the
training for women and ethnic-minority staff, 1 % for others), Art. 41(6) (no repayment for
those granted the streamlining policies). Decree 101/2017/NĐ-CP before it (unverified: its text
is not in ``shared/legal``). Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[2] / "data" / "training_repayment.yaml"

REASONS = ("quit_during_training", "dismissed_during_training", "no_degree", "left_after_graduation")
EXEMPTIONS = ("illness_or_disaster", "transfer_within_system", "streamlining_policy")


@dataclass(frozen=True)
class RepaymentRule:
    """One instrument's repayment rules, valid from ``valid_from`` through ``valid_to``."""

    id: str
    instrument: str
    valid_from: date
    valid_to: date | None
    levels: tuple[str, ...]
    full: dict[str, str]
    pro_rata: dict[str, str]
    exempt: dict[str, str]
    exempt_only_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reduction: dict | None = None
    verified: bool = False
    verification_note: str = ""

    def applies_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Repayment:
    """The amount to repay and why: ``basis`` is ``full``, ``pro_rata``, ``exempt``,
    ``not_applicable`` (no obligation for this training or reason) or ``no_rule`` (no rule on the
    date); ``references`` cite the articles applied."""

    amount: int
    basis: str
    rule_id: str | None
    references: tuple[str, ...]
    reduction: float = 0.0
    verified: bool = True


@cache
def default_rules() -> tuple[RepaymentRule, ...]:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out = []
    for r in doc["rules"]:
        out.append(
            RepaymentRule(
                id=r["id"],
                instrument=r["instrument"],
                valid_from=r["valid_from"],
                valid_to=r.get("valid_to"),
                levels=tuple(r["levels"]),
                full=dict(r.get("full") or {}),
                pro_rata=dict(r.get("pro_rata") or {}),
                exempt=dict(r.get("exempt") or {}),
                exempt_only_for={k: tuple(v) for k, v in (r.get("exempt_only_for") or {}).items()},
                reduction=r.get("reduction"),
                verified=bool(r.get("verified")),
                verification_note=r.get("verification_note", ""),
            )
        )
    return tuple(out)


def repayment(
    *,
    on: date,
    reason: str,
    cost: int,
    level: str = "postgraduate",
    commitment_months: int = 0,
    served_months: int = 0,
    prior_service_years: int = 0,
    female: bool = False,
    ethnic_minority: bool = False,
    exemption: str | None = None,
    rules: tuple[RepaymentRule, ...] | None = None,
) -> Repayment:
    """The repayment for an event on ``on`` (the rules of that date) of kind ``reason``
    (:data:`REASONS`) for a training of ``level`` that cost ``cost`` đồng (F), with
    ``commitment_months`` committed (T1) and ``served_months`` served after it (T2), by a person
    with ``prior_service_years`` full years of service before the training."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}; one of {', '.join(REASONS)}")
    if exemption is not None and exemption not in EXEMPTIONS:
        raise ValueError(f"unknown exemption {exemption!r}; one of {', '.join(EXEMPTIONS)}")
    if cost < 0 or commitment_months < 0 or served_months < 0 or prior_service_years < 0:
        raise ValueError("cost, months and years cannot be negative")
    rule = next((r for r in rules or default_rules() if r.applies_on(on)), None)
    if rule is None:
        return Repayment(0, "no_rule", None, ())
    cite = f"{rule.instrument}"

    def ref(text: str) -> str:
        return f"{cite}, {text}"

    if level not in rule.levels:
        return Repayment(0, "not_applicable", rule.id, (), verified=rule.verified)
    if exemption and exemption in rule.exempt:
        only = rule.exempt_only_for.get(exemption)
        if only is None or reason in only:
            return Repayment(0, "exempt", rule.id, (ref(rule.exempt[exemption]),), verified=rule.verified)
    if reason in rule.full:
        amount, basis, refs = float(cost), "full", [ref(rule.full[reason])]
    elif reason in rule.pro_rata:
        refs = [ref(rule.pro_rata[reason])]
        if commitment_months == 0 or served_months >= commitment_months:
            return Repayment(0, "pro_rata", rule.id, tuple(refs), verified=rule.verified)
        amount, basis = cost * (commitment_months - served_months) / commitment_months, "pro_rata"
    else:
        return Repayment(0, "not_applicable", rule.id, (), verified=rule.verified)
    cut = 0.0
    if rule.reduction and prior_service_years:
        per_year = rule.reduction["favoured"] if (female or ethnic_minority) else rule.reduction["other"]
        cut = min(1.0, per_year * prior_service_years)
        amount *= 1 - cut
        refs.append(ref(rule.reduction["reference"]))
    return Repayment(round(amount), basis, rule.id, tuple(refs), round(cut, 4), rule.verified)
