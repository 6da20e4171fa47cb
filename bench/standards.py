"""Benchmark: the standards engine on the national-scale data set.

Targets (issue "Standards as code" §7), on this 2-core machine:

* the full evaluation of everyone in post on one date in under 2 s,
* and within 3× the time it takes merely to load the needed rows from the database
  (both printed, with the ratio, measured in the same run);
* one person in under 20 ms (load + evaluate, the single-person view of the admin pages).

The data set comes from ``bench/generate.py --keep DIR`` (about 204,000 people in post on any
one date, 2.2 million qualification rows). Run:

    uv run python bench/generate.py --keep /tmp/natl     # once, about 3 minutes
    uv run python bench/standards.py --home /tmp/natl [--date 2024-12-31]

Prints progress and ends with one line ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", required=True, help="CANBO_HOME of a database made by bench/generate.py --keep"
    )
    parser.add_argument("--date", default="2024-12-31")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--people", type=int, default=200, help="people timed one by one")
    args = parser.parse_args()
    on = date.fromisoformat(args.date)

    os.environ["CANBO_HOME"] = args.home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import polars as pl

    from canbo.core.standards.engine import evaluate
    from canbo.core.standards.staffing import analyse_staffing
    from canbo.registry.models import Person
    from canbo.standards import services
    from canbo.standards.snapshot import load_snapshot

    from canbo.core.standards.provincial import ProvincialDecision, ProvincialLayer

    rules = services.national_rules()
    layer = services.provincial_layer()
    if not layer.decisions:
        # Exercise the provincial layer at national scale: every province applies every national
        # difficult-area exception in force on the date (in memory; nothing is written).
        from canbo.registry.models import Unit

        provinces = list(Unit.objects.filter(level="province").values_list("pk", flat=True))
        layer = ProvincialLayer(
            [
                ProvincialDecision(
                    kind="difficult_area_exception",
                    province_id=pid,
                    valid_from=s.valid_from,
                    valid_to=s.valid_to,
                    decision="QĐ mô phỏng",
                    title_code=title,
                    dimension=s.criterion,
                    minimum=e.minimum,
                    areas=e.areas,
                )
                for s in rules.standards_on(on)
                for e in s.exceptions
                if e.kind == "difficult_area" and e.requires_provincial_decision
                for title in s.titles
                for pid in provinces
            ]
        )
    print(f"  {len(layer.decisions):,} provincial decisions in the layer", file=sys.stderr)
    print(f"loading the rows needed on {on} …", file=sys.stderr)
    load_best, load_median, snap = timed(lambda: load_snapshot(on, conduct=False), args.repeat)
    people_in_post = snap.posts_on(on)["person_id"].n_unique()
    print(
        f"  {len(snap.posts):,} posts, {people_in_post:,} people, {len(snap.qualifications):,} qualifications "
        f"in {load_best:.2f} s",
        file=sys.stderr,
    )

    print("evaluating everyone …", file=sys.stderr)
    eval_best, eval_median, findings = timed(lambda: evaluate(snap, on, rules, layer), args.repeat)
    counts = dict(findings.group_by("status").len().iter_rows())
    print(f"  {len(findings):,} findings in {eval_best:.2f} s: {counts}", file=sys.stderr)

    staff_best, _, report = timed(lambda: analyse_staffing(snap, findings, on, rules, layer), 1)
    print(f"  staffing of {len(report.units):,} units in {staff_best:.2f} s", file=sys.stderr)

    ids = (
        snap.posts_on(on)["person_id"]
        .unique()
        .sort()
        .gather_every(max(1, people_in_post // args.people))
        .to_list()
    )
    people = list(Person.objects.filter(pk__in=ids[: args.people]))
    services.check(on, person_ids=[people[0].pk], provincial=layer)  # warm-up
    one = []
    for p in people:
        t0 = time.perf_counter()
        f = services.check(on, person_ids=[p.pk], provincial=layer).findings
        one.append(time.perf_counter() - t0)
        assert f.equals(findings.filter(pl.col("person_id") == p.pk)), (
            "one person's findings differ from the full run"
        )
    one_median, one_max = statistics.median(one), max(one)
    one_p95 = statistics.quantiles(one, n=20)[-1]
    print(
        f"  one person: median {one_median * 1000:.1f} ms, 95th percentile {one_p95 * 1000:.1f} ms, "
        f"max {one_max * 1000:.1f} ms over {len(one)}",
        file=sys.stderr,
    )

    result = {
        "date": on.isoformat(),
        "provincial_decisions": len(layer.decisions),
        "people_in_post": people_in_post,
        "posts": len(snap.posts),
        "qualifications": len(snap.qualifications),
        "findings": len(findings),
        "findings_by_status": counts,
        "seconds_load": round(load_best, 3),
        "seconds_evaluate": round(eval_best, 3),
        "seconds_load_and_evaluate": round(load_best + eval_best, 3),
        "ratio_evaluate_to_load": round(eval_best / load_best, 2),
        "target_seconds_evaluate": 2.0,
        "target_ratio": 3.0,
        "seconds_staffing": round(staff_best, 3),
        "ms_one_person_median": round(one_median * 1000, 1),
        "ms_one_person_p95": round(one_p95 * 1000, 1),
        "ms_one_person_max": round(one_max * 1000, 1),
        "people_timed": len(one),
        "target_ms_one_person": 20,
        "repeat": args.repeat,
    }
    print("RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
