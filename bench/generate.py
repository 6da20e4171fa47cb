"""Benchmark: ``canbo generate --scale national`` into a fresh SQLite file.

Target (issue 2 §6): the whole country — every legacy commune staffed, with
full histories since 2005 — in under 10 minutes on a 2-core machine.
Prints progress and ends with one line ``RESULT {json}``: seconds, database
size, rows per table, and the people in post on one date.

    uv run python bench/generate.py            # national scale
    uv run python bench/generate.py --scale demo
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="national", choices=["demo", "national"])
    parser.add_argument("--end", default="2026-11-27")
    parser.add_argument("--keep", help="keep the database at this folder (CANBO_HOME) for other benchmarks")
    args = parser.parse_args()

    home = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="canbo-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CANBO_HOME": str(home), "DJANGO_SETTINGS_MODULE": "canbo.settings"}
    env.pop("DATABASE_URL", None)
    db = home / "var" / "canbo.sqlite3"
    if db.exists():
        sys.exit(f"{db} exists already; choose an empty --keep folder")

    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "canbo.cli", "migrate", "-v0"], env=env, check=True)
    t_migrate = time.perf_counter() - t0
    print(f"migrated in {t_migrate:.1f}s", flush=True)
    t1 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "canbo.cli", "generate", "--scale", args.scale, "--end", args.end],
        env=env,
        check=True,
    )
    t_generate = time.perf_counter() - t1
    total = time.perf_counter() - t0

    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from canbo.registry.models import Assignment

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    on = date(2024, 12, 31)
    in_post = (
        Assignment.objects.filter(start__lte=on).exclude(end__lt=on).values("person_id").distinct().count()
    )
    tables = {}
    with connection.cursor() as cursor:
        for name in (
            "registry_person",
            "registry_assignment",
            "registry_qualification",
            "training_trainingenrolment",
            "conduct_evaluation",
            "conduct_discipline",
            "succession_successionentry",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {name}")
            tables[name] = cursor.fetchone()[0]
    size = db.stat().st_size
    result = {
        "scale": args.scale,
        "seconds_total": round(total, 1),
        "seconds_generate": round(t_generate, 1),
        "target_seconds": 600,
        "ratio_to_target": round(total / 600, 3),
        "database_mb": round(size / 2**20, 1),
        "people_in_post_2024_12_31": in_post,
        "rows": tables,
        "database": str(db) if args.keep else None,
    }
    print("RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
