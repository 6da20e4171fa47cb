"""Benchmark: the training plan of a province (issue 13 §9).

A province of the national generator's core (:mod:`canbo.core.synth`, simulated in memory from
2005 to the planning date — no database), turned into the standards engine's snapshot; its
training needs on the planning date (with the rules of the first day after the horizon); the plan
over ``--years`` years with the shipped catalogue, the story's degree seats (18 a year per former
district) and a yearly budget; the optimiser (HiGHS) against the greedy rule on the same
instance. Target: under 60 s with a proven gap of at most 1 %, the optimiser strictly better.

    uv run python bench/plan.py                   # the default province, ~10,000 people in post
    uv run python bench/plan.py --province 20     # Lạng Sơn (new province code)

Prints progress and ends with one line ``RESULT {json}``.

Measured on 8/12/2026 on the shared 2-core machine (load average ≈ 5.5, so the solver gets about
half a core): 9,141 people in post, 11,648 needs of 7,231 people, 73,957 columns × 72,000 rows;
the optimiser's score beats the greedy rule's by 5–7 % (12,415 by hand; 13,035–13,298 optimised),
but the proven gap and the time vary from run to run under that load: one run optimal within
0.72 % of the relaxation's bound in 44 s; others stopped by the 55 s budget at 2.3–2.7 %. The
target (≤ 1 % in < 60 s) is therefore not yet met reliably here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def snapshot_of(data, end: date):
    """The engine's snapshot of one simulated province (its rows, keyed as the generator keys
    them: units by (code, era), titles by code)."""
    import yaml
    from importlib import resources

    from canbo.core.standards.snapshot import Snapshot
    from canbo.core.synth import COLUMNS

    rows = data.rows
    col = {t: {c: i for i, c in enumerate(cs)} for t, cs in COLUMNS.items()}
    titles = yaml.safe_load(resources.files("canbo.data").joinpath("titles.yaml").read_text("utf-8"))
    kind_of = {t["code"]: t["kind"] for t in titles}
    units: dict[tuple, int] = {}

    def unit(key) -> int:
        key = tuple(key)
        if key not in units:
            units[key] = len(units) + 1
        return units[key]

    a = col["assignment"]
    posts, first = [], {}
    for r in rows["assignment"]:
        pid = r[a["person_id"]]
        posts.append(
            (
                r[a["id"]],
                pid,
                unit(r[a["unit_key"]]),
                r[a["title_code"]],
                kind_of.get(r[a["title_code"]], "civil_servant"),
                r[a["start"]],
                r[a["end"]],
                r[a["start_reason"]],
                bool(r[a["is_concurrent"]]),
            )
        )
        first[pid] = min(first.get(pid, r[a["start"]]), r[a["start"]])
    p = col["person"]
    people = [
        (
            r[p["id"]],
            " ".join(x for x in (r[p["family_name"]], r[p["middle_name"]], r[p["given_name"]]) if x),
            r[p["birth_date"]],
            r[p["sex"]],
            r[p["ethnicity"]],
            first.get(r[p["id"]]),
            r[p["birth_date_precision"]],
        )
        for r in rows["person"]
    ]
    q = col["qualification"]
    quals = [
        (
            r[q["person_id"]],
            r[q["dimension"]],
            r[q["level"]],
            r[q["field_of_study"]] or None,
            r[q["obtained_on"]],
        )
        for r in rows["qualification"]
    ]
    f = col["area_flag"]
    flags = [
        (unit(r[f["unit_key"]]), r[f["flag"]], r[f["valid_from"]], r[f["valid_to"]])
        for r in rows["area_flag"]
    ]
    e = col["evaluation"]
    evals = [(r[e["person_id"]], r[e["year"]], r[e["rating"]]) for r in rows["evaluation"]]
    d = col["discipline"]
    disc = [(r[d["person_id"]], r[d["track"]], r[d["form"]], r[d["decided_on"]]) for r in rows["discipline"]]
    legacy_end, reform = date(2025, 6, 30), date(2025, 7, 1)
    unit_rows = [
        (
            uid,
            key[0],
            key[0],
            "commune_level",
            "commune",
            None,
            None,
            None,
            1,
            None if key[1] == "legacy" else reform,
            legacy_end if key[1] == "legacy" else None,
        )
        for key, uid in units.items()
    ]
    return Snapshot.from_rows(
        people=people,
        posts=posts,
        qualifications=quals,
        units=unit_rows,
        unit_flags=flags,
        evaluations=evals,
        disciplines=disc,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--province", type=int, default=None, help="new province code (default: ~10,000 people)"
    )
    parser.add_argument("--date", default="2026-01-01", help="planning date")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--degree-seats", type=int, default=None, help="default: 18 per former district")
    parser.add_argument(
        "--budget", type=float, default=None, help="VND a year (default: 116 attendances' worth per district)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=55.0, help="the optimiser's budget, build included"
    )
    parser.add_argument("--gap", type=float, default=0.01)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    on = date.fromisoformat(args.date)

    from canbo.core import synth
    from canbo.core.training.catalogue import default_catalogue
    from canbo.core.training.instance import build_instance
    from canbo.core.training.needs import training_needs
    from canbo.core.training.optimise import evaluate_plan, greedy, optimise

    t0 = time.perf_counter()
    groups = synth.province_groups("national")
    if args.province is None:
        # the group closest to 10,000 people in post: about 23 per new-era commune slot
        def size(g):
            return len(g[0])

        group = min(groups, key=lambda g: abs(size(g) - 560))
    else:
        group = next(
            g
            for g in groups
            if any(c.province_no == args.province for c in g[0])
            or args.province == synth.DEMO_PROVINCE
            and g[2] is synth.LANG_SON
        )
    communes = group[0]
    districts = {c.code[:0] or c.province_no for c in communes}
    print(f"simulating {len(communes)} former communes …", file=sys.stderr, flush=True)
    data = next(synth.simulate([group], seed=args.seed, end=on))
    t_sim = time.perf_counter() - t0
    snap = snapshot_of(data, on)
    held = snap.posts_on(on)
    n_people = held["person_id"].n_unique()
    print(f"{n_people} people in post on {on} ({t_sim:.1f} s)", file=sys.stderr, flush=True)

    catalogue = default_catalogue()
    t1 = time.perf_counter()
    result = training_needs(snap, on, catalogue, future=date(on.year + args.years, 1, 1))
    t_needs = time.perf_counter() - t1
    print(
        f"{len(result.needs)} needs of {len(result.people)} people ({t_needs:.1f} s)",
        file=sys.stderr,
        flush=True,
    )
    # the story's means: 18 degree seats and 116 attendances a year for 22 communes
    scale = len(communes) / 22
    seats = args.degree_seats if args.degree_seats is not None else round(18 * scale)
    budget = args.budget if args.budget is not None else round(116 * scale) * 6_000_000 + seats * 12_000_000
    inst = build_instance(
        result, catalogue, on.year, args.years, budget=budget, degree_seats=seats, away_share=0.2
    )
    t3 = time.perf_counter()
    by_hand = greedy(inst)
    t_greedy = time.perf_counter() - t3
    # the optimiser starts from the greedy plan (so a time limit never leaves it worse); the
    # time reported is the optimiser's own (building the programme and solving it)
    t2, c2 = time.perf_counter(), time.process_time()
    best = optimise(inst, time_limit=args.time_limit, mip_rel_gap=args.gap, start=by_hand)
    t_opt = time.perf_counter() - t2
    cpu_opt = time.process_time() - c2
    assert evaluate_plan(inst, best.assignments)[1] == []
    ratio = best.objective / by_hand.objective if by_hand.objective else None
    out = {
        "province_communes_before_2025": len(communes),
        "people_in_post": n_people,
        "needs": len(result.needs),
        "people_with_needs": len(result.people),
        "years": args.years,
        "degree_seats": seats,
        "budget_per_year": budget,
        "variables": best.variables,
        "constraints": best.constraints,
        "status": best.status,
        "gap": best.gap,
        "solve_seconds": round(t_opt, 2),
        "solve_cpu_seconds": round(cpu_opt, 2),
        "build_seconds": round(best.build_seconds, 2),
        "load_average": round(os.getloadavg()[0], 2),
        "needs_seconds": round(t_needs, 2),
        "greedy_seconds": round(t_greedy, 2),
        "optimiser_objective": round(best.objective, 2),
        "greedy_objective": round(by_hand.objective, 2),
        "ratio": round(ratio, 4) if ratio else None,
        "optimiser_closed": sum(1 for o in best.outcomes if o.closed_by is not None),
        "greedy_closed": sum(1 for o in by_hand.outcomes if o.closed_by is not None),
        "attendances": len(best.assignments),
        "target_met": t_opt < 60
        and best.gap is not None
        and best.gap <= 0.01
        and best.objective > by_hand.objective,
    }
    del districts
    print("RESULT " + json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
