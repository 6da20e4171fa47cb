"""Benchmark: the province *quality* report on the national-scale data set.

Target (issue 4 §3), on this 2-core machine: the quality report of the largest province —
load its snapshot, evaluate everyone in post, compute the report, write the xlsx — in under
5 s. The baseline, measured in the same run, is the engine's own work on the same province
(``services.check``: load the snapshot and evaluate); the ratio says what the report adds to
it. Also printed, not targeted: the PDF of the same report, and (``--national``) the quality
table of the whole country computed from an already evaluated national snapshot.

The data set comes from ``bench/generate.py --keep DIR`` (about 204,000 people in post on any
one date). Run:

    uv run python bench/generate.py --keep /tmp/natl     # once, about 3 minutes
    uv run python bench/reports.py --home /tmp/natl [--unit 01] [--date 2024-12-31] [--national]

Prints progress and ends with one line ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date


def timed(fn, repeat: int):
    best, result = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", required=True, help="CANBO_HOME of a database made by bench/generate.py --keep"
    )
    parser.add_argument("--unit", default="01", help="province code (default 01, Hà Nội: the most communes)")
    parser.add_argument("--date", default="2024-12-31")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--national", action="store_true", help="also compute the whole country's table")
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
    from django.db.models import Q

    from canbo.core.reports import pdf, quality, xlsx
    from canbo.core.reports.people import main_posts
    from canbo.core.standards.engine import evaluate
    from canbo.registry.models import Unit
    from canbo.reports import services as reports
    from canbo.standards import services
    from canbo.standards.snapshot import load_snapshot

    unit = (
        Unit.objects.filter(code=args.unit, level="province")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .get()
    )
    rules = services.national_rules()
    layer = services.provincial_layer()
    services.check(on, unit=unit, rules=rules, provincial=layer)  # warm-up (rule caches, imports)
    print(f"{unit.name} ({unit.code}) on {on}", file=sys.stderr)

    # Baseline: the engine's work on the province, as every adapter pays it.
    t_check, check = timed(lambda: services.check(on, unit=unit, rules=rules, provincial=layer), args.repeat)
    t_load, snapshot = timed(lambda: load_snapshot(on, unit=unit, conduct=False), 1)
    t_eval, _ = timed(lambda: evaluate(snapshot, on, rules, layer), args.repeat)
    people_in_post = main_posts(check.snapshot, on).height
    print(
        f"  check (load + evaluate): {t_check:.2f} s — load {t_load:.2f} s, evaluate {t_eval:.2f} s; "
        f"{people_in_post:,} people in post, {len(check.findings):,} findings",
        file=sys.stderr,
    )

    t_party, party = timed(lambda: reports.party_frame(check.snapshot, on), args.repeat)
    t_compute, report = timed(
        lambda: quality.report(check.snapshot, check.findings, on, unit.pk, "vi", party=party), args.repeat
    )
    table = report.meta["table"]
    total = table.filter(pl.col("level") == "total").row(0, named=True)
    communes = table.filter(pl.col("level") == "commune_level").height
    print(
        f"  party membership {t_party:.2f} s; quality table ({communes:,} communes) {t_compute:.2f} s",
        file=sys.stderr,
    )
    assert total["total"] == people_in_post, "the total row must count every person in post once"
    assert total["std_met"] + total["std_unmet"] + total["std_unknown"] == total["total"]

    t_xlsx, data = timed(lambda: xlsx.xlsx_bytes(report), args.repeat)
    print(f"  xlsx {t_xlsx:.2f} s ({len(data) // 1024:,} KiB)", file=sys.stderr)
    t_pdf, data_pdf = timed(lambda: pdf.pdf_bytes(report), 1)
    print(f"  pdf {t_pdf:.2f} s ({len(data_pdf) // 1024:,} KiB)", file=sys.stderr)

    # The whole report as the command and the download page run it, end to end.
    t_end, _ = timed(lambda: reports.render(reports.build("quality", unit, on), "xlsx"), 1)
    print(f"  end to end (services.build + render xlsx): {t_end:.2f} s", file=sys.stderr)

    total_s = t_check + t_party + t_compute + t_xlsx
    result = {
        "report": "quality",
        "unit": f"{unit.code} {unit.name}",
        "date": on.isoformat(),
        "people_in_post": people_in_post,
        "communes": communes,
        "findings": len(check.findings),
        "total_row": {
            k: total[k]
            for k in ("total", "female", "minority", "party", "std_met", "std_unmet", "std_unknown")
        },
        "seconds_check_baseline": round(t_check, 3),
        "seconds_load": round(t_load, 3),
        "seconds_evaluate": round(t_eval, 3),
        "seconds_party": round(t_party, 3),
        "seconds_compute_report": round(t_compute, 3),
        "seconds_write_xlsx": round(t_xlsx, 3),
        "seconds_total": round(total_s, 3),
        "seconds_end_to_end": round(t_end, 3),
        "seconds_write_pdf": round(t_pdf, 3),
        "target_seconds_total": 5.0,
        "ratio_total_to_check": round(total_s / t_check, 2),
        "ratio_report_to_evaluate": round((t_party + t_compute + t_xlsx) / t_eval, 2),
        "repeat": args.repeat,
    }
    if args.national:
        print("national: loading and evaluating everyone …", file=sys.stderr)
        snap = load_snapshot(on, conduct=False)
        findings = evaluate(snap, on, rules, layer)
        t_nat, nat = timed(lambda: quality.compute(snap, findings, on), args.repeat)
        n_total = nat.filter(pl.col("level") == "total")["total"][0]
        print(f"  national quality table: {n_total:,} people, {t_nat:.2f} s", file=sys.stderr)
        result.update(national_people=int(n_total), seconds_national_compute=round(t_nat, 3))
    print("RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
