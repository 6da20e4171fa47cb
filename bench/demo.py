"""Benchmark: the demo province (issue 12 §4) — every commune of Lạng Sơn against Cao Lộc alone.

In one run, each in a fresh SQLite home (``CANBO_HOME``):

1. *Cao Lộc only* — ``canbo migrate`` then ``canbo generate --scale demo --district 183``
   (the 22 communes of the story: what the demo was before issue 12);
2. *the province* — ``canbo migrate`` then ``canbo generate --scale demo`` (194 old
   communes, 65 new ones); the ratio of the two is printed, for the whole build (which the
   migrations dominate) and for ``canbo generate`` alone (reference data and simulation);
3. *the demo as a user starts it* — ``canbo demo`` in another fresh home, timed from the
   command to the first ``200`` of ``/healthz`` (target: about a minute on a 2-core machine),
   then stopped.

The database size (target under 300 MB) is the province's SQLite file after a WAL checkpoint.
Prints progress and ends with one line ``RESULT {json}``.

    uv run python bench/demo.py [--end 2026-11-27] [--no-serve]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TARGET_MB = 300
TARGET_SERVING_SECONDS = 60


def env_for(home: Path) -> dict[str, str]:
    env = {**os.environ, "CANBO_HOME": str(home), "DJANGO_SETTINGS_MODULE": "canbo.settings"}
    env.pop("DATABASE_URL", None)
    return env


def canbo(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "canbo.cli", *args], env=env, check=True)


def build(label: str, end: str, *extra: str) -> tuple[float, float, Path]:
    """Seconds of the whole build (migrate, then generate) and of ``canbo generate`` alone
    (the reference data and the simulation), and the database."""
    home = Path(tempfile.mkdtemp(prefix=f"canbo-bench-demo-{label}-"))
    env = env_for(home)
    t0 = time.perf_counter()
    canbo(env, "migrate", "-v0")
    t1 = time.perf_counter()
    canbo(env, "generate", "--scale", "demo", "--end", end, *extra)
    seconds, generating = time.perf_counter() - t0, time.perf_counter() - t1
    print(f"{label}: built in {seconds:.1f}s (generate {generating:.1f}s)", flush=True)
    return seconds, generating, home / "var" / "canbo.sqlite3"


def size_mb(db: Path) -> float:
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return round(db.stat().st_size / 2**20, 1)


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("registry_person", "registry_assignment", "training_trainingenrolment")
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_serving(timeout: float = 300) -> float | None:
    """``canbo demo`` in a fresh home: seconds until ``/healthz`` answers 200; then stopped."""
    home = Path(tempfile.mkdtemp(prefix="canbo-bench-demo-serve-"))
    port = free_port()
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "canbo.cli", "demo", "--addrport", f"127.0.0.1:{port}"],
        env=env_for(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - t0 < timeout:
            if process.poll() is not None:
                print(f"canbo demo stopped with code {process.returncode}", flush=True)
                return None
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        seconds = time.perf_counter() - t0
                        print(f"canbo demo: serving after {seconds:.1f}s", flush=True)
                        return seconds
            except OSError:
                pass
            time.sleep(0.5)
        return None
    finally:
        # Only the process group this benchmark started (the server and its workers).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end", default="2026-11-27", help="the simulation's last day (YYYY-MM-DD)")
    parser.add_argument("--no-serve", action="store_true", help="skip the timing of `canbo demo` to serving")
    args = parser.parse_args()

    cao_loc_seconds, cao_loc_generate, cao_loc_db = build("caoloc", args.end, "--district", "183")
    province_seconds, province_generate, province_db = build("province", args.end)
    serving = None if args.no_serve else time_to_serving()
    result = {
        "province_build_seconds": round(province_seconds, 1),
        "cao_loc_build_seconds": round(cao_loc_seconds, 1),
        "ratio": round(province_seconds / cao_loc_seconds, 2),
        "province_generate_seconds": round(province_generate, 1),
        "cao_loc_generate_seconds": round(cao_loc_generate, 1),
        "generate_ratio": round(province_generate / cao_loc_generate, 2),
        "database_mb": size_mb(province_db),
        "cao_loc_database_mb": size_mb(cao_loc_db),
        "target_mb": TARGET_MB,
        "demo_serving_seconds": round(serving, 1) if serving is not None else None,
        "target_serving_seconds": TARGET_SERVING_SECONDS,
        "rows": counts(province_db),
        "cao_loc_rows": counts(cao_loc_db),
        "cores": os.cpu_count(),
    }
    print("RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
