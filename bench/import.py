"""Benchmark: importing a 200,000-row list in the messy layout communes keep, against django-import-export.

Targets (issue 9 §11), measured in the same run and printed in the RESULT line with their ratios:

* the **raw floor**: python-calamine reading the same messy workbook plus one plain
  ``executemany`` of its rows (every cell as it is, no validation) into a fresh SQLite table —
  the least any importer must spend; canbo's first import within **3×** the raw floor;
* peak memory of the canbo side under **600 MB**;
* the **update path**: a second import of a later list of the same people with 2 % of them
  changed (:func:`bench.messy_list.change_some`), into the database the first import filled,
  within **60 s**.

Earlier target (issue 4 §4): a 200,000-row workbook in the messy layout (title block, two-row merged
header with the birth date under "Nam" or "Nữ", free-text titles, communes and qualifications,
a signature block — :mod:`bench.messy_list`) read, validated, matched and committed into SQLite
in under 60 s; compared in the same run with django-import-export importing the same people
from a flat workbook (its best case: one header row, one column per field).

Each side runs in its own process on its own fresh SQLite database (a temporary ``CANBO_HOME``
each, migrated and loaded with the reference units and titles), and times itself; this process
writes the two workbooks (not counted), runs both sides and prints the comparison.

    uv run python bench/import.py                   # 200,000 rows
    uv run python bench/import.py --rows 20000
    uv run python bench/import.py --rows 50000 --profile /tmp/canbo.prof   # cProfile of the canbo side
                                                   # (the update path's in /tmp/canbo.prof.update)

Prints progress and ends with one line ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = date(2024, 12, 31)
TARGET_SECONDS = 60
TARGET_RAW_RATIO = 3.0
TARGET_PEAK_MB = 600
TARGET_UPDATE_SECONDS = 60
CHANGED_SHARE = 0.02
LEGACY_END = "2025-06-30"


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb() -> float:
    """Resident set size of this process now, in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def side_result(payload: dict) -> None:
    """A side reports to the parent on one line of its standard output."""
    print("SIDE " + json.dumps(payload, ensure_ascii=False), flush=True)


# --------------------------------------------------------------------------- parent


def prepare_home(home: Path, env: dict) -> float:
    """Migrate a fresh SQLite database at ``home`` and load the reference units and titles."""
    t0 = time.perf_counter()
    # --skip-checks: the system checks (URL configuration…) have nothing to say about a benchmark database.
    subprocess.run(
        [sys.executable, "-m", "canbo.cli", "migrate", "-v0", "--skip-checks"], env=env, check=True
    )
    subprocess.run(
        [sys.executable, "-m", "canbo.cli", "load_reference", "-v0", "--skip-checks"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def legacy_communes(db: Path, province_code: str):
    """(province name, communes) of the legacy province, read straight from the SQLite file."""
    from messy_list import Commune

    con = sqlite3.connect(db)
    try:
        (name,) = con.execute(
            "SELECT name FROM registry_unit WHERE level='province' AND code=? AND valid_to=?",
            (province_code, LEGACY_END),
        ).fetchone()
        rows = con.execute(
            "SELECT c.id, c.code, c.name FROM registry_unit c JOIN registry_unit d ON c.parent_id = d.id "
            "JOIN registry_unit p ON d.parent_id = p.id WHERE c.level='commune_level' AND c.valid_to=? "
            "AND p.level='province' AND p.code=? AND p.valid_to=? ORDER BY c.code",
            (LEGACY_END, province_code, LEGACY_END),
        ).fetchall()
    finally:
        con.close()
    return name, [Commune(*r) for r in rows]


def run_side(args_list: list[str], env: dict, label: str) -> dict:
    """Run one side in its own process, echo its output, return its ``SIDE`` payload."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args_list]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True, bufsize=1)
    payload = None
    for line in proc.stdout:
        if line.startswith("SIDE "):
            payload = json.loads(line[5:])
        else:
            print(f"  [{label}] {line.rstrip()}", flush=True)
    if proc.wait() != 0 or payload is None:
        sys.exit(f"the {label} side failed (exit status {proc.returncode})")
    return payload


PERSON_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "birth_date",
    "birth_date_precision",
    "sex",
    "ethnicity",
    "name_folded",
    "sort_name",
)


def cross_check(
    canbo_db: Path, ie_db: Path, truth: dict[str, tuple[str, str]], *, compare_people: bool
) -> dict:
    """What canbo stored against what was written into the list: every post (title and commune
    of each ID number) against the truth, and every person field against what
    django-import-export stored from the flat workbook (the same people)."""
    con = sqlite3.connect(canbo_db)
    try:
        posts = con.execute(
            "SELECT p.identity_number, t.code, u.code FROM registry_assignment a "
            "JOIN registry_person p ON a.person_id = p.id JOIN registry_title t ON a.title_id = t.id "
            "JOIN registry_unit u ON a.unit_id = u.id"
        ).fetchall()
        wrong_posts = [(n, t, u, truth.get(n)) for n, t, u in posts if truth.get(n) != (t, u)]
        out = {
            "posts_checked": len(posts),
            "posts_wrong": len(wrong_posts),
            "people_without_post": len(truth) - len({n for n, _t, _u in posts}),
        }
        examples = [list(w) for w in wrong_posts[:5]]
        if compare_people:
            con.execute("ATTACH DATABASE ? AS ie", (str(ie_db),))
            differs = " OR ".join(f"a.{f} IS NOT b.{f}" for f in PERSON_FIELDS) + " OR ua.code IS NOT ub.code"
            join = (
                "FROM registry_person a JOIN ie.registry_person b ON a.identity_number = b.identity_number "
                "JOIN registry_unit ua ON a.managing_unit_id = ua.id "
                "JOIN ie.registry_unit ub ON b.managing_unit_id = ub.id"
            )
            out["people_compared"] = con.execute(f"SELECT COUNT(*) {join}").fetchone()[0]
            cols = ", ".join(f"a.{f}, b.{f}" for f in ("identity_number", *PERSON_FIELDS[:7]))
            diff_rows = con.execute(f"SELECT {cols}, ua.code, ub.code {join} WHERE {differs}").fetchall()
            out["people_differing"] = len(diff_rows)
            examples += [list(r) for r in diff_rows[:5]]
        out["examples"] = examples
        return out
    finally:
        con.close()


def parent(args) -> None:
    sys.path.insert(0, str(HERE))
    import messy_list

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="canbo-bench-import-"))
    root.mkdir(parents=True, exist_ok=True)
    homes = {"canbo": root / "canbo", "django_import_export": root / "import_export"}
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env["DJANGO_SETTINGS_MODULE"] = "canbo.settings"
    envs = {}
    for side, home in homes.items():
        if (home / "var" / "canbo.sqlite3").exists():
            sys.exit(f"{home} holds a database already; choose an empty --keep folder")
        home.mkdir(parents=True)
        envs[side] = {**base_env, "CANBO_HOME": str(home)}
        t = prepare_home(home, envs[side])
        print(f"{side}: fresh database migrated and reference loaded in {t:.1f}s", flush=True)

    province_name, communes = legacy_communes(homes["canbo"] / "var" / "canbo.sqlite3", args.province)
    usable = messy_list.unambiguous(communes)
    print(
        f"{province_name}: {len(communes)} legacy communes, {len(usable)} with unambiguous names used",
        flush=True,
    )
    _, ie_communes = legacy_communes(homes["django_import_export"] / "var" / "canbo.sqlite3", args.province)
    ie_unit_id = {c.code: c.id for c in ie_communes}

    t0 = time.perf_counter()
    people = messy_list.make_people(args.rows, usable, int(args.province), seed=args.seed)
    t_people = time.perf_counter() - t0
    print(f"{len(people):,} synthetic people drawn in {t_people:.1f}s", flush=True)
    messy = root / f"danh_sach_cbcc_{args.rows}.xlsx"
    flat = root / f"person_flat_{args.rows}.xlsx"
    t0 = time.perf_counter()
    issuer = "UBND " + province_name.replace("Thành phố", "thành phố").replace("Tỉnh", "tỉnh")
    place = province_name.replace("Tỉnh ", "").replace("Thành phố ", "")
    messy_list.write_messy(
        messy, people, issuer=issuer, place=place, signature_names=not args.no_signature_names, progress=print
    )
    t_messy = time.perf_counter() - t0
    t0 = time.perf_counter()
    messy_list.write_flat(flat, people, ie_unit_id)
    t_flat = time.perf_counter() - t0
    qualification_cells = sum(p.qualification_cells for p in people)
    truth = {p.identity_number: (p.title_code, p.commune.code) for p in people}
    later_people, n_changed = messy_list.change_some(people, CHANGED_SHARE)
    later = root / f"danh_sach_cbcc_{args.rows}_sau.xlsx"
    messy_list.write_messy(
        later, later_people, issuer=issuer, place=place, signature_names=not args.no_signature_names
    )
    del people, later_people
    print(
        f"messy workbook {messy.name} ({messy.stat().st_size / 2**20:.1f} MiB) written in {t_messy:.1f}s; "
        f"flat workbook ({flat.stat().st_size / 2**20:.1f} MiB) in {t_flat:.1f}s",
        flush=True,
    )

    print("raw floor: calamine read + one executemany into SQLite…", flush=True)
    raw = run_side(
        ["--side", "raw", "--file", str(messy)], {**base_env, "CANBO_HOME": str(root / "raw")}, "raw"
    )

    print("canbo: read, validate, match, commit…", flush=True)
    canbo_args = ["--side", "canbo", "--file", str(messy), "--province", args.province]
    if args.profile:
        canbo_args += ["--profile", args.profile]
    canbo = run_side(canbo_args, envs["canbo"], "canbo")
    if not canbo.get("ok"):
        print(json.dumps(canbo, ensure_ascii=False, indent=1))
        sys.exit(1)

    print(f"canbo, update path: the later list ({n_changed:,} people changed)…", flush=True)
    update_args = ["--side", "canbo", "--file", str(later), "--province", args.province]
    if args.profile:
        update_args += ["--profile", f"{args.profile}.update"]
    update = run_side(update_args, envs["canbo"], "canbo update")
    if not update.get("ok"):
        print(json.dumps(update, ensure_ascii=False, indent=1))
        sys.exit(1)

    ie = None
    if not args.skip_import_export:
        print("django-import-export: load the flat workbook, import Person rows…", flush=True)
        ie_rows = args.ie_rows or args.rows
        ie = run_side(
            ["--side", "import_export", "--file", str(flat), "--limit", str(ie_rows)],
            envs["django_import_export"],
            "django-import-export",
        )

    check = cross_check(
        homes["canbo"] / "var" / "canbo.sqlite3",
        homes["django_import_export"] / "var" / "canbo.sqlite3",
        truth,
        compare_people=ie is not None,
    )
    print(f"cross-check: {json.dumps(check, ensure_ascii=False)}", flush=True)
    result = {
        "rows": args.rows,
        "province": f"{args.province} {province_name}",
        "communes_used": len(usable),
        "seconds_write_messy_workbook": round(t_messy, 1),
        "seconds_write_flat_workbook": round(t_flat, 1),
        "messy_workbook_mb": round(messy.stat().st_size / 2**20, 1),
        "seconds_canbo": canbo["seconds"],
        "seconds_canbo_read_validate": canbo["seconds_read_validate"],
        "seconds_canbo_match": canbo["seconds_match"],
        "seconds_canbo_commit": canbo["seconds_commit"],
        "seconds_canbo_store_file": canbo["seconds_store_file"],
        "rows_per_second": round(args.rows / canbo["seconds"]),
        "seconds_raw_floor": raw["seconds"],
        "seconds_raw_read": raw["seconds_read"],
        "seconds_raw_insert": raw["seconds_insert"],
        "ratio_canbo_to_raw_floor": round(canbo["seconds"] / raw["seconds"], 2),
        "target_ratio_to_raw_floor": TARGET_RAW_RATIO,
        "within_raw_ratio_target": canbo["seconds"] / raw["seconds"] <= TARGET_RAW_RATIO,
        "peak_rss_mb_canbo_first": canbo["peak_rss_mb"],
        "target_peak_rss_mb": TARGET_PEAK_MB,
        "within_memory_target": max(canbo["peak_rss_mb"], update["peak_rss_mb"]) < TARGET_PEAK_MB,
        "people_changed_in_later_list": n_changed,
        "seconds_update": update["seconds"],
        "seconds_update_read_validate": update["seconds_read_validate"],
        "seconds_update_match": update["seconds_match"],
        "seconds_update_commit": update["seconds_commit"],
        "update_counts": {
            k: v for k, v in update["counts"].items() if k not in ("columns", "units")
        },  # units: a count per commune
        "peak_rss_mb_canbo_update": update["peak_rss_mb"],
        "target_update_seconds": TARGET_UPDATE_SECONDS,
        "within_update_target": update["seconds"] < TARGET_UPDATE_SECONDS,
        "target_seconds": TARGET_SECONDS,
        "within_target": canbo["seconds"] < TARGET_SECONDS,
        "people_written": canbo["people"],
        "posts_written": canbo["posts"],
        "qualifications_written": canbo["qualifications"],
        "qualification_cells": qualification_cells,
        "history_rows_written": canbo["history_rows"],
        "cross_check": {k: v for k, v in check.items() if k != "examples"},
        "canbo_counts": {k: v for k, v in canbo["counts"].items() if k not in ("columns", "units")},
        "canbo_problems": canbo["problem_codes"],
        "peak_rss_mb_canbo": canbo["peak_rss_mb"],
    }
    if ie:
        timed = ie["rows"]
        full = ie["seconds"] * args.rows / timed if timed != args.rows else ie["seconds"]
        result.update(
            {
                "seconds_django_import_export": round(full, 1),
                "django_import_export_rows_timed": timed,
                "django_import_export_extrapolated": timed != args.rows,
                "seconds_django_import_export_load": ie["seconds_load"],
                "seconds_django_import_export_import": ie["seconds_import"],
                "django_import_export_people_written": ie["people"],
                "ratio": round(full / canbo["seconds"], 2),
                "peak_rss_mb_django_import_export": ie["peak_rss_mb"],
            }
        )
    result["peak_rss_mb_parent"] = peak_rss_mb()
    result["note"] = (
        "canbo: reads the messy workbook (title block, 2-row merged header, dates as text/year/Excel date under "
        "Nam/Nữ, free-text titles, communes, ethnic groups and 5 qualification columns) with canbo.core.importing."
        "read_list, validates every row (ID number vs birth year and sex, ages, units and titles in force on "
        "31/12/2024), matches by ID number and name+birth date+unit in batched queries, then writes people, posts "
        "and qualifications and a history row for each, in one transaction (services.copy_into_batch, prepare, "
        "commit; the file is stored and hashed first). django-import-export 4: the same people from a flat "
        "workbook (one header row, ISO dates, ethnic code, unit id, name keys precomputed) loaded with "
        "tablib/openpyxl and imported with a ModelResource for Person only (import_id_fields identity_number, so "
        "one SELECT per row; use_bulk, batch_size 1000, skip_diff, no full_clean, unit as raw id), "
        "one transaction: no posts, no qualifications, no history, no Vietnamese validation — less work than canbo."
    )
    if ie and ie["rows"] != args.rows:
        result["note"] += f" django-import-export timed on {ie['rows']:,} rows and extrapolated linearly."
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        result["folder"] = str(root)
    print("RESULT " + json.dumps(result, ensure_ascii=False))


# --------------------------------------------------------------------------- canbo side


def canbo_side(args) -> None:
    import django

    django.setup()
    import importlib
    from collections import Counter

    import canbo.core.importing as importing
    from canbo.imports import services
    from canbo.registry.models import Assignment, Person, Qualification, Unit

    unit = Unit.objects.get(level="province", code=args.province, valid_to=date(2025, 6, 30))
    user = importlib.import_module("canbo.imports.management.commands.import").CommandLineUser()

    # Time the pure reader apart from the matching: prepare() imports read_list at call time.
    spent = {"read": 0.0}
    real_read_list = importing.read_list

    def timed_read_list(*a, **kw):
        t = time.perf_counter()
        try:
            return real_read_list(*a, **kw)
        finally:
            spent["read"] += time.perf_counter() - t

    importing.read_list = timed_read_list
    t_start = time.perf_counter()

    def progress(message: str) -> None:
        print(f"{time.perf_counter() - t_start:6.1f}s {current_rss_mb():7.1f} MB {message}", flush=True)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    batch = services.copy_into_batch(Path(args.file), unit, AS_OF, user)
    t_store = time.perf_counter() - t0
    t0 = time.perf_counter()
    preview = services.prepare(batch, user, progress=progress)
    t_prepare = time.perf_counter() - t0
    problem_codes = Counter(f"{p.severity}:{p.code}" for p in preview.problems)
    if not preview.ok:
        for p in preview.errors[:20]:
            print(f"LỖI {p.where()} «{p.value}»: {p.message_vi}", flush=True)
        refused = Counter((p.code, p.header or p.column, p.value) for p in preview.errors)
        side_result(
            {
                "ok": False,
                "errors": len(preview.errors),
                "problem_codes": dict(problem_codes),
                "refused_texts": [[c, h, v, n] for (c, h, v), n in refused.most_common(60)],
            }
        )
        sys.exit(1)
    t0 = time.perf_counter()
    counts = services.commit(batch, preview, user, progress=progress)
    t_commit = time.perf_counter() - t0
    total = t_store + t_prepare + t_commit
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    warnings = Counter(
        (p.code, p.header or p.column, p.value) for p in preview.problems if p.severity == "warning"
    )
    for (code, header, value), n in warnings.most_common(25):
        print(f"cảnh báo ×{n}: {code} [{header}] «{value}»", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        history = 0
        for table in (
            "registry_historicalperson",
            "registry_historicalassignment",
            "registry_historicalqualification",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            history += cursor.fetchone()[0]
    side_result(
        {
            "ok": True,
            "seconds": round(total, 2),
            "seconds_store_file": round(t_store, 2),
            "seconds_read_validate": round(spent["read"], 2),
            "seconds_match": round(t_prepare - spent["read"], 2),
            "seconds_commit": round(t_commit, 2),
            "counts": counts,
            "problem_codes": dict(problem_codes),
            "warnings_sample": [[c, h, v, n] for (c, h, v), n in warnings.most_common(25)],
            "people": Person.objects.count(),
            "posts": Assignment.objects.count(),
            "qualifications": Qualification.objects.count(),
            "history_rows": history,
            "peak_rss_mb": peak_rss_mb(),
        }
    )


# --------------------------------------------------------------------------- raw floor


def raw_side(args) -> None:
    """The least any importer of this workbook must spend: python-calamine reads every cell of
    the sheet, and one plain ``executemany`` writes every row below the header, as it is, into a
    14-column table of a fresh SQLite file (one transaction). No validation, no matching, no
    history. Run by the parent in its own process, like the canbo side."""
    import python_calamine as pc

    home = Path(os.environ["CANBO_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    wb = pc.CalamineWorkbook.from_path(args.file)
    cells = wb.get_sheet_by_index(0).to_python()
    t_read = time.perf_counter() - t0
    width = 14
    rows = [tuple((r + [None] * width)[:width]) for r in cells[9:] if r and r[0] not in ("", None)]
    sqlite3.register_adapter(date, date.isoformat)  # calamine gives Excel dates as date objects
    con = sqlite3.connect(home / "raw.sqlite3")
    con.execute("CREATE TABLE list_row (" + ", ".join(f"c{i}" for i in range(width)) + ")")
    t1 = time.perf_counter()
    with con:
        con.executemany(f"INSERT INTO list_row VALUES ({', '.join('?' * width)})", rows)
    t_insert = time.perf_counter() - t1
    n = con.execute("SELECT COUNT(*) FROM list_row").fetchone()[0]
    con.close()
    print(f"{t_read:6.1f}s read {len(cells):,} rows; {t_insert:6.1f}s inserted {n:,}", flush=True)
    side_result(
        {
            "ok": True,
            "seconds": round(t_read + t_insert, 2),
            "seconds_read": round(t_read, 2),
            "seconds_insert": round(t_insert, 2),
            "rows": n,
            "peak_rss_mb": peak_rss_mb(),
        }
    )


# --------------------------------------------------------------------------- django-import-export side


def import_export_side(args) -> None:
    import django

    django.setup()
    import tablib
    from import_export import fields, resources, widgets

    from canbo.registry.models import Person

    class PersonResource(resources.ModelResource):
        # The unit as its raw id: the default ForeignKeyWidget would SELECT the unit for every row.
        managing_unit = fields.Field(
            attribute="managing_unit_id", column_name="managing_unit", widget=widgets.IntegerWidget()
        )

        class Meta:
            model = Person
            fields = (
                "identity_number",
                "family_name",
                "middle_name",
                "given_name",
                "birth_date",
                "birth_date_precision",
                "sex",
                "ethnicity",
                "managing_unit",
                "name_folded",
                "sort_name",
            )
            import_id_fields = ["identity_number"]
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_unchanged = False
            report_skipped = False
            clean_model_instances = False

    t0 = time.perf_counter()
    with open(args.file, "rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    t_load = time.perf_counter() - t0
    if args.limit and args.limit < len(dataset):
        subset = tablib.Dataset(headers=dataset.headers)
        for row in dataset[: args.limit]:
            subset.append(row)
        dataset = subset
    print(f"{time.perf_counter() - t0:6.1f}s loaded {len(dataset):,} rows with tablib", flush=True)
    t1 = time.perf_counter()
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    t_import = time.perf_counter() - t1
    if result.has_errors() or result.has_validation_errors():
        side_result({"ok": False, "errors": [str(e.error) for e in result.base_errors[:5]]})
        sys.exit(1)
    print(f"{time.perf_counter() - t0:6.1f}s imported: {dict(result.totals)}", flush=True)
    side_result(
        {
            "ok": True,
            "rows": len(dataset),
            "seconds": round(t_load + t_import, 2),
            "seconds_load": round(t_load, 2),
            "seconds_import": round(t_import, 2),
            "totals": dict(result.totals),
            "people": Person.objects.count(),
            "peak_rss_mb": peak_rss_mb(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--province", default="38", help="legacy province code whose communes the list names")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", help="keep the databases and workbooks in this (empty) folder")
    parser.add_argument(
        "--profile", help="write a cProfile of the canbo side to this file (and print the top)"
    )
    parser.add_argument(
        "--ie-rows", type=int, help="time django-import-export on this many rows and extrapolate"
    )
    parser.add_argument("--skip-import-export", action="store_true", help="run the canbo side only")
    parser.add_argument(
        "--no-signature-names",
        action="store_true",
        help="leave the signers' names out of the signature block",
    )
    # Internal: one side in its own process.
    parser.add_argument("--side", choices=["canbo", "import_export", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side == "canbo":
        canbo_side(args)
    elif args.side == "import_export":
        import_export_side(args)
    elif args.side == "raw":
        raw_side(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
