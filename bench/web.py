"""Benchmark: the officers' pages at national scale, served by the production server (issue 11 §5).

Target, on this 2-core machine: p95 under 300 ms for every page, as users of every scope.

* **Data.** The national data set (``canbo generate --scale national``: every legacy commune
  staffed since 2005, about 206,000 people in post on a date) in the PostgreSQL database
  ``--db`` (default ``canbo_bench``). Generated once and kept: the database's comment records
  the scale, seed, end date and a digest of the generator's files; a later run reuses the data
  when they match, and otherwise drops the database and generates it again (the generation
  time is reported either way).
* **Server.** granian serving ``canbo.wsgi:application`` on loopback (``--workers 2``) with
  ``CANBO_SERVER_TIMING=1``: each response carries ``Server-Timing`` with the time its SQL
  queries took (:class:`canbo.common.middleware.ServerTimingMiddleware`) — the page's database
  time alone, measured in the same request.
* **Users.** One account per scope, created (or reset) with a password of this run: the system
  administrator (the whole country), the officer of the largest new province, of the largest
  old district of its legacy province (pages on 30/06/2025, its last day) and of the new
  commune with the most people in post. They log in through the login form.
* **Pages.** Per scope: the dashboard ``/`` and its trend fragment ``/?part=trend`` (which the
  browser loads after it), the people list filtered and paginated, the people list behind the
  dashboard's *not meeting the standard* count (``status=not_met``, verdicts computed), commune
  pages ``/units/<pk>/`` and person pages ``/people/<pk>/`` (``--sample`` of each, in turn),
  and the REST API's list ``/api/people/`` — skipped with a note while it answers 404.
* **Load.** Cold first: each page's first request, one after the other (first-request cache
  fills: reported apart). Then a warm-up — every URL until each server process has answered it
  (each keeps its own cache; the header names the process). Then the measured load: ``--requests``
  per page and scope, shuffled, sent by ``--concurrency`` client threads (httpx, keep-alive, no
  think time); it stops when every request is answered. p50 / p95 per page and scope, the
  database time's p50 / p95 and the ratio page / database.
* ``--with-import``: then the same load again while bench/import.py's 200,000-row list is
  uploaded and committed through the import page as background jobs (``canbo worker``); skipped
  with a note while the jobs (issue 11 §2) are not in the tree. The import changes the data set:
  the next run generates it again.

    uv run python bench/web.py                      # generates the data the first time (~30 min)
    uv run python bench/web.py --requests 100 --concurrency 4
    uv run python bench/web.py --pages people,person --scopes province

Prints progress and a table, and ends with one line ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src" / "canbo"
PG = "postgres://postgres@127.0.0.1:5432"
SCALE = "national"
#: The files whose content decides what ``canbo generate`` writes: a change to any of them (or to
#: vietnam-provinces) makes the stored data set stale, and the bench generates it again.
GENERATOR_FILES = (
    "core/synth.py",
    "registry/generate.py",
    "registry/reference.py",
    "data/titles.yaml",
    "data/ethnic_groups.csv",
)


_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"{time.monotonic() - _T0:7.1f}s {message}", flush=True)


# --------------------------------------------------------------------------- the data set


def generator_version() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update(name.encode())
        digest.update((SRC / name).read_bytes())
    digest.update(metadata.version("vietnam-provinces").encode())
    return digest.hexdigest()[:16]


def admin_connect():
    import psycopg

    return psycopg.connect(f"{PG}/postgres", autocommit=True)


def marker_of(db: str) -> dict | None:
    """The data set's marker, kept as the database's comment (no table of our own needed)."""
    with admin_connect() as con:
        row = con.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (db,)
        ).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0]) if row[0] else {}
    except ValueError:
        return {}


def prepare(db: str, seed: int, end: str, *, regenerate: bool, env: dict) -> dict:
    """Reuse ``db`` if it holds the national data set of this seed, end date and generator
    version; otherwise (re)create it, migrate, generate and record the marker. Returns the
    preparation's figures (the generation time when generated in this run)."""
    import psycopg
    import psycopg.sql as sql

    wanted = {"scale": SCALE, "seed": seed, "end": end, "version": generator_version()}
    marker = marker_of(db)
    current = {k: marker.get(k) for k in wanted} if marker else None
    t0 = time.perf_counter()
    subprocess_env = {**env, "DATABASE_URL": f"{PG}/{db}"}
    if current == wanted and not regenerate and marker.get("complete"):
        log(
            f"database {db}: national data set (seed {seed}, end {end}, generator {wanted['version']}) reused"
        )
        subprocess.run(
            [sys.executable, "-m", "canbo.cli", "migrate", "-v0", "--skip-checks"],
            env=subprocess_env,
            check=True,
        )
        return {
            "generated_in_this_run": False,
            "seconds_generate_earlier": marker.get("seconds_generate"),
            **wanted,
        }
    with admin_connect() as con:
        if marker is not None:
            log(f"database {db}: marker {marker or 'absent'} differs from {wanted}: dropping it")
            con.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(db)))
        con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
    t_migrate = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "canbo.cli", "migrate", "-v0", "--skip-checks"], env=subprocess_env, check=True
    )
    t_migrate = time.perf_counter() - t_migrate
    log(f"database {db} created and migrated in {t_migrate:.1f}s; generating the national data set…")
    t_gen = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "canbo.cli",
            "generate",
            "--scale",
            SCALE,
            "--seed",
            str(seed),
            "--end",
            end,
            "--skip-checks",
        ],
        env=subprocess_env,
        check=True,
    )
    t_gen = time.perf_counter() - t_gen
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as con:
        t_an = time.perf_counter()
        con.execute("ANALYZE")
        t_an = time.perf_counter() - t_an
    log(f"generated in {t_gen:.1f}s, analysed in {t_an:.1f}s")
    done = {
        **wanted,
        "complete": True,
        "seconds_generate": round(t_gen, 1),
        "seconds_migrate": round(t_migrate, 1),
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    with admin_connect() as con:
        con.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(db), sql.Literal(json.dumps(done)))
        )
    return {
        "generated_in_this_run": True,
        "seconds_generate": round(t_gen, 1),
        "seconds_migrate": round(t_migrate, 1),
        "seconds_analyse": round(t_an, 1),
        "seconds_prepare": round(time.perf_counter() - t0, 1),
        **wanted,
    }


# --------------------------------------------------------------------------- users and pages

#: The scopes the load runs as: (key, role, what the scope unit is).
SCOPES = ("system_admin", "province", "district", "commune")
LEGACY_LAST_DAY = "30/06/2025"


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    import django

    django.setup()


def make_users(password: str) -> dict[str, dict]:
    """One account per scope (created, or reset to this run's password): the system administrator;
    the officer of the largest new province; the officer of an old district (before 01/07/2025)
    of that province's legacy province, the one with the most communes; the officer of the new
    commune with the most people in post today. No password change is asked of them."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from canbo.access.models import Role, User
    from canbo.core.reports.people import COUNTED_KINDS
    from canbo.registry.models import Assignment, Unit

    today = timezone.localdate()
    held = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today)) & Q(title__kind__in=COUNTED_KINDS)
    communes = (
        Assignment.objects.filter(held, unit__level="commune_level", unit__valid_from__isnull=False)
        .values("unit_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "unit_id")
    )
    # the largest new province, counted by its communes' people in post today
    by_province = (
        Assignment.objects.filter(held, unit__level="commune_level", unit__valid_from__isnull=False)
        .values("unit__parent_id")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__parent_id")
    )
    province = Unit.objects.get(pk=by_province[0]["unit__parent_id"])
    legacy_province = Unit.objects.get(level="province", code=province.code, valid_to__isnull=False)
    district = (
        Unit.objects.filter(level="district", parent=legacy_province)
        .annotate(n=Count("children"))
        .order_by("-n", "code")
        .first()
    )
    commune = Unit.objects.get(pk=communes.filter(unit__parent=province)[0]["unit_id"])
    plan = {
        "system_admin": (Role.SYSTEM_ADMIN, None),
        "province": (Role.PROVINCE_OFFICER, province),
        "district": (Role.UNIT_OFFICER, district),
        "commune": (Role.UNIT_OFFICER, commune),
    }
    out = {}
    for key, (role, unit) in plan.items():
        username = f"bench_{key}"
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.scope_unit = unit
        user.is_superuser = user.is_staff = role == Role.SYSTEM_ADMIN
        user.is_active = True
        user.must_change_password = False
        user.first_name, user.last_name = "Bench", key
        user.set_password(password)
        user.save()
        out[key] = {
            "username": username,
            "user": user,
            "unit": unit,
            "unit_label": f"{unit.code} {unit.name}" if unit else "cả nước",
        }
    return out


def _people_in_post(unit_ids, on, count: int) -> list[int]:
    """``count`` people in post on ``on`` in ``unit_ids`` (None: anywhere), spread evenly over
    the ids (deterministic)."""
    from django.db.models import Q

    from canbo.core.reports.people import COUNTED_KINDS
    from canbo.registry.models import Assignment

    qs = Assignment.objects.filter(
        Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on)),
        title__kind__in=COUNTED_KINDS,
        unit__level="commune_level",
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    ids = sorted(set(qs.values_list("person_id", flat=True)))
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def _communes(unit_ids, on, count: int) -> list[int]:
    from django.db.models import Q

    from canbo.registry.models import Unit

    qs = Unit.objects.filter(level="commune_level").filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )
    if unit_ids is not None:
        qs = qs.filter(pk__in=unit_ids)
    ids = list(qs.order_by("code", "pk").values_list("pk", flat=True))
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def plan_pages(users: dict[str, dict], sample: int) -> list[dict]:
    """The table of pages each scope asks for: (scope, page, the URLs taken in turn). The API
    list is one entry; it is skipped with a note when the URL answers 404 (not built yet)."""
    from datetime import date

    from django.utils import timezone

    from canbo.access import scope as access
    from canbo.registry.models import Unit

    today = timezone.localdate()
    entries = []
    for key in SCOPES:
        info = users[key]
        user, unit = info["user"], info["unit"]
        ids = access.scope_unit_ids(user)
        legacy = key == "district"
        on = date(2025, 6, 30) if legacy else today
        on_q = f"&on={LEGACY_LAST_DAY}" if legacy else ""
        api_on = "&on=2025-06-30" if legacy else ""  # the API reads dates as YYYY-MM-DD
        if unit is None:  # the system administrator: the whole country; the status list of Hà Nội
            province = users["province"]["unit"]
            people = "/people/?in_post=1&sex=female&age=40-49&page=2"
            status = f"/people/?unit={province.pk}&in_post=1&status=not_met&page=2"
            sample_ids = None
        else:
            people = f"/people/?unit={unit.pk}&in_post=1&sex=female&page=2{on_q}"
            status = f"/people/?unit={unit.pk}&in_post=1&status=not_met{on_q}"
            sample_ids = ids
        communes = _communes(sample_ids, on, sample)
        persons = _people_in_post(sample_ids, on, sample)
        entries += [
            {"scope": key, "page": "dashboard", "urls": ["/"]},
            {"scope": key, "page": "dashboard_trend", "urls": ["/?part=trend"]},
            {"scope": key, "page": "people", "urls": [people]},
            {"scope": key, "page": "people_status", "urls": [status]},
            {"scope": key, "page": "unit", "urls": [f"/units/{pk}/" for pk in communes]},
            {
                "scope": key,
                "page": "person",
                "urls": [f"/people/{pk}/{'?on=' + LEGACY_LAST_DAY if legacy else ''}" for pk in persons],
            },
            {"scope": key, "page": "api_people", "urls": [f"/api/people/?in_post=1{api_on}"]},
        ]
    assert Unit.objects.exists()
    return entries


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int, threads: int | None, home: Path, log_path: Path):
    """granian serving canbo's WSGI application on loopback, against ``db``, with the
    Server-Timing header on (CANBO_SERVER_TIMING=1)."""
    import secrets

    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db}",
        "CANBO_SERVER_TIMING": "1",
        "CANBO_HOME": str(home),
        "CANBO_SECRET_KEY": secrets.token_urlsafe(48),
        "CANBO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
    }
    cmd = [
        str(Path(sys.executable).with_name("granian")),
        "--interface",
        "wsgi",
        "canbo.wsgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-ws",
    ]
    if threads:
        cmd += ["--blocking-threads", str(threads)]
    log_file = open(log_path, "w")  # noqa: SIM115 - the server writes it until stopped
    proc = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, " ".join(cmd[1:])


def wait_ready(base: str, proc, seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server stopped (exit status {proc.returncode}); see its log")
        try:
            if httpx.get(base + "/login/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not answer in time")


def stop_server(proc) -> None:
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def login(base: str, username: str, password: str):
    """An httpx client logged in through the login form (CSRF token and all), as a browser is."""
    import re

    import httpx

    client = httpx.Client(base_url=base, timeout=900, follow_redirects=False)
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"},
        headers={"Referer": base + "/login/"},
    )
    if answer.status_code != 302 or "sessionid" not in client.cookies:
        sys.exit(f"login of {username} failed ({answer.status_code})")
    return client


def session_of(client) -> dict[str, str]:
    return {"sessionid": client.cookies["sessionid"]}


# --------------------------------------------------------------------------- measuring


def server_timing(header: str | None) -> dict:
    """db ms, queries, total ms and the answering process of a ``Server-Timing`` header
    (:class:`canbo.common.middleware.ServerTimingMiddleware`)."""
    import re

    found = {}
    for key, pattern, kind in (
        ("db_ms", r"db;dur=([\d.]+)", float),
        ("queries", r'desc="(\d+) queries"', int),
        ("server_ms", r"total;dur=([\d.]+)", float),
        ("process", r'process;desc="(\d+)"', int),
    ):
        m = re.search(pattern, header or "")
        found[key] = kind(m.group(1)) if m else None
    return found


def one_request(client, url: str) -> dict:
    t0 = time.perf_counter()
    response = client.get(url)
    _ = response.content
    elapsed = (time.perf_counter() - t0) * 1000
    return {
        "url": url,
        "status": response.status_code,
        "ms": elapsed,
        "bytes": len(response.content),
        **server_timing(response.headers.get("server-timing")),
    }


def warm_up(base: str, sessions: dict[str, dict], entries: list[dict], workers: int) -> dict:
    """Every URL of every entry until each server process has answered it (each process keeps
    its own cache): a new connection per request, so that the processes take turns; at most 8
    tries per process. Returns requests sent and the URLs some process never answered."""
    import httpx

    sent, missed = 0, []
    for entry in entries:
        for url in entry["urls"]:
            seen: set[int] = set()
            for _ in range(8 * workers):
                with httpx.Client(base_url=base, timeout=900, cookies=sessions[entry["scope"]]) as client:
                    row = one_request(client, url)
                sent += 1
                seen.add(row["process"])
                if len(seen) >= workers:
                    break
            else:
                missed.append(url)
    return {"requests": sent, "urls_not_warmed_in_every_process": missed}


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_load(
    base: str,
    sessions: dict[str, dict],
    entries: list[dict],
    per_page: int,
    concurrency: int,
    *,
    label: str,
    stop=None,
) -> list[dict]:
    """``per_page`` requests of every entry (its URLs in turn), shuffled together (seeded) and
    sent by ``concurrency`` threads, each with its own keep-alive connection per scope; stops by
    itself when every request is answered (or ``stop`` is set: then it starts again from the
    top until it is)."""
    import random
    import threading

    import httpx

    tasks = []
    for entry in entries:
        for i in range(per_page):
            tasks.append((entry["scope"], entry["page"], entry["urls"][i % len(entry["urls"])]))
    random.Random(2005).shuffle(tasks)
    lock = threading.Lock()
    results: list[dict] = []
    position = [0]
    t_start = time.perf_counter()

    def worker() -> None:
        clients = {
            key: httpx.Client(base_url=base, timeout=900, cookies=cookies)
            for key, cookies in sessions.items()
        }
        try:
            while True:
                with lock:
                    i = position[0]
                    if i >= len(tasks):
                        if stop is None or stop.is_set():
                            return
                        i = position[0] = 0  # the import still runs: go round again
                    position[0] += 1
                scope_key, page, url = tasks[i]
                row = one_request(clients[scope_key], url)
                row.update(scope=scope_key, page=page, at=time.perf_counter() - t_start)
                with lock:
                    results.append(row)
                    if len(results) % 200 == 0:
                        log(f"  {label}: {len(results)} requests")
        finally:
            for c in clients.values():
                c.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def summarise(rows: list[dict]) -> dict:
    ok = [r for r in rows if r["status"] == 200]
    ms = [r["ms"] for r in ok]
    db = [r["db_ms"] for r in ok if r["db_ms"] is not None]
    out = {
        "n": len(rows),
        "errors": len(rows) - len(ok),
        "p50_ms": _r(percentile(ms, 50)),
        "p95_ms": _r(percentile(ms, 95)),
        "max_ms": _r(max(ms) if ms else None),
        "db_p50_ms": _r(percentile(db, 50)),
        "db_p95_ms": _r(percentile(db, 95)),
        "queries": max((r["queries"] for r in ok if r["queries"] is not None), default=None),
    }
    if out["p50_ms"] and out["db_p50_ms"]:
        out["ratio_page_to_db_p50"] = round(out["p50_ms"] / out["db_p50_ms"], 1)
    if ms and db:
        out["db_share"] = round(sum(db) / sum(ms), 3)
    if len(ok) != len(rows):
        out["statuses"] = sorted({r["status"] for r in rows})
    return out


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def table(summary: dict[str, dict[str, dict]]) -> str:
    lines = [
        f"{'scope':<13}{'page':<16}{'n':>5}{'p50':>9}{'p95':>9}{'db p50':>9}{'db p95':>9}{'ratio':>7}"
        f"{'queries':>8}{'cold':>10}"
    ]
    for key, pages in summary.items():
        for page, s in pages.items():
            if "skipped" in s:
                lines.append(f"{key:<13}{page:<16}  skipped: {s['skipped']}")
                continue
            cells = [s.get("p50_ms"), s.get("p95_ms"), s.get("db_p50_ms"), s.get("db_p95_ms")]
            lines.append(
                f"{key:<13}{page:<16}{s['n']:>5}"
                + "".join(f"{c if c is not None else '—':>9}" for c in cells)
                + f"{s.get('ratio_page_to_db_p50', '—'):>7}{s.get('queries') or '—':>8}"
                + f"{s.get('cold_ms', '—'):>10}"
                + (f"  errors {s['errors']}" if s["errors"] else "")
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- the import as a job


def jobs_available() -> str | None:
    """None when the background jobs exist (a ``worker`` command and a jobs app), else why not."""
    from django.apps import apps
    from django.core.management import get_commands

    if "worker" not in get_commands():
        return (
            "no `canbo worker` command in this tree (the background jobs of issue 11 §2 are not merged yet)"
        )
    if not any(a.name.startswith("django_tasks") or a.label == "jobs" for a in apps.get_app_configs()):
        return "no jobs app installed (django-tasks-db) in this tree"
    return None


def write_import_list(rows: int, province_code: str, folder: Path) -> tuple[Path, int]:
    """bench/import.py's list: ``rows`` synthetic people in the messy layout, naming the legacy
    communes of ``province_code`` (its default, 38). Returns the file and the legacy province's id."""
    sys.path.insert(0, str(HERE))
    import messy_list

    from canbo.registry.models import Unit

    province = Unit.objects.get(level="province", code=province_code, valid_to__isnull=False)
    communes = [
        messy_list.Commune(u.pk, u.code, u.name)
        for u in Unit.objects.filter(level="commune_level", parent__parent=province).order_by("code")
    ]
    people = messy_list.make_people(rows, messy_list.unambiguous(communes), int(province_code))
    path = folder / f"danh_sach_cbcc_{rows}.xlsx"
    issuer = "UBND " + province.name.replace("Thành phố", "thành phố").replace("Tỉnh", "tỉnh")
    place = province.name.replace("Tỉnh ", "").replace("Thành phố ", "")
    messy_list.write_messy(path, people, issuer=issuer, place=place)
    return path, province.pk


def run_import_job(base: str, client, path: Path, unit_id: int, done, report: dict) -> None:
    """Upload the list through the import page and commit it, as an officer does; with the
    background jobs each step is a job the worker runs while the page follows its progress.
    Sets ``done`` at the end, whatever happens (``report`` says what happened)."""
    import re

    t0 = time.perf_counter()
    try:
        page = client.get("/import/upload/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with open(path, "rb") as fh:
            answer = client.post(
                "/import/upload/",
                data={"unit": str(unit_id), "as_of": "31/12/2024", "csrfmiddlewaretoken": token},
                files={"file": (path.name, fh, "application/octet-stream")},
                headers={"Referer": base + "/import/upload/"},
            )
        report["seconds_upload_request"] = round(time.perf_counter() - t0, 1)
        location = answer.headers.get("location") or answer.headers.get("hx-redirect") or ""
        if re.search(r"/jobs/\d+/", location):  # the preview is a job: its page links to the batch
            text = follow_job(client, location, t0, 1800, report, "preview")
            location = "".join(re.findall(r'href="(/import/\d+/)"', text)[:1])
        match = re.search(r"/import/(\d+)/", location)
        if not match:
            report["note"] = f"the upload answered {answer.status_code} without a batch to follow"
            return
        batch = f"/import/{match.group(1)}/"
        commit_form = None
        while time.perf_counter() - t0 < 1800:  # the preview: until its commit form appears
            text = client.get(batch).text
            commit_form = re.search(r'<form[^>]+action="([^"]*/commit/)"(.*?)</form>', text, re.S)
            if commit_form or "Không thể ghi" in text:
                break
            time.sleep(2)
        report["seconds_to_preview"] = round(time.perf_counter() - t0, 1)
        if not commit_form:
            report["note"] = "the preview offered no commit (errors in the list, or it did not finish)"
            return
        fields = dict(
            re.findall(
                r'<input[^>]+type="hidden"[^>]+name="([^"]+)"[^>]+value="([^"]*)"', commit_form.group(2)
            )
        )
        answer = client.post(commit_form.group(1), data=fields, headers={"Referer": base + batch})
        location = answer.headers.get("location") or answer.headers.get("hx-redirect") or ""
        if re.search(r"/jobs/\d+/", location):  # the commit is a job: until it has finished
            follow_job(client, location, t0, 3600, report, "commit")
            report["seconds_import"] = round(time.perf_counter() - t0, 1)
            return
        while time.perf_counter() - t0 < 3600:  # the commit: until the batch says it is written
            text = client.get(batch).text
            if re.search(r"Đã ghi|đã ghi vào hồ sơ|committed", text):
                break
            time.sleep(2)
        report["seconds_import"] = round(time.perf_counter() - t0, 1)
    except Exception as e:  # noqa: BLE001 - a benchmark reports what went wrong and goes on
        report["note"] = f"the import failed: {type(e).__name__}: {e}"
    finally:
        done.set()


def follow_job(client, url: str, t0: float, limit: float, report: dict, name: str) -> str:
    """Ask a job's page (``/jobs/<id>/``) again every 2 s until the job has finished (or
    ``limit`` seconds since ``t0``); its status goes into ``report``; returns the last page."""
    import re

    text = ""
    while time.perf_counter() - t0 < limit:
        text = client.get(url).text
        status = re.search(r'data-status="([a-z_]+)"', text)
        if status and status.group(1) in ("done", "failed", "cancelled"):
            report[f"{name}_job"] = status.group(1)
            break
        time.sleep(2)
    report[f"seconds_to_{name}"] = round(time.perf_counter() - t0, 1)
    return text


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", default="canbo_bench", help="PostgreSQL database (127.0.0.1:5432, user postgres)"
    )
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--end", default="2026-11-27", help="the generated histories' last day")
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the data set again even if it is there"
    )
    parser.add_argument("--prepare-only", action="store_true", help="only make sure the data set is there")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="use the database as it is, without checking its marker (while profiling)",
    )
    parser.add_argument("--requests", type=int, default=40, help="measured requests per page and scope")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads sending requests at once")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument(
        "--threads", type=int, help="granian blocking threads per worker (its default if not given)"
    )
    parser.add_argument("--sample", type=int, default=10, help="communes and people taken in turn per scope")
    parser.add_argument("--pages", help="only these pages (comma-separated: dashboard,people,…)")
    parser.add_argument("--scopes", help="only these scopes (comma-separated: " + ",".join(SCOPES) + ")")
    parser.add_argument(
        "--with-import",
        action="store_true",
        help="also measure the pages while the 200,000-row import runs as a background job",
    )
    parser.add_argument("--import-rows", type=int, default=200_000)
    parser.add_argument("--target-ms", type=float, default=300.0)
    args = parser.parse_args()

    import secrets
    import tempfile
    import threading

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "canbo.settings"}
    if args.as_is:
        info = {"as_is": True, "marker": marker_of(args.db)}
    else:
        info = prepare(args.db, args.seed, args.end, regenerate=args.regenerate, env=env)
    if args.prepare_only:
        print("RESULT " + json.dumps(info))
        return
    setup_django(args.db)
    password = secrets.token_urlsafe(18) + "-Aa1"
    users = make_users(password)
    entries = plan_pages(users, args.sample)
    if args.pages:
        entries = [e for e in entries if e["page"] in args.pages.split(",")]
    if args.scopes:
        entries = [e for e in entries if e["scope"] in args.scopes.split(",")]
    for key in SCOPES:
        log(f"{key}: {users[key]['unit_label']}")

    home = Path(tempfile.mkdtemp(prefix="canbo-bench-web-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = home / "server.log"
    proc, command = start_server(args.db, port, args.workers, args.threads, home, log_path)
    notes: list[str] = []
    summary: dict[str, dict[str, dict]] = {key: {} for key in SCOPES}
    during_import: dict[str, dict[str, dict]] | None = None
    import_report: dict = {}
    load_before = os.getloadavg()
    try:
        wait_ready(base, proc)
        log(f"server: granian {command} (pid {proc.pid}), log {log_path}")
        clients = {key: login(base, users[key]["username"], password) for key in SCOPES}
        sessions = {key: session_of(c) for key, c in clients.items()}

        # Cold: each page's first request, one after the other, before anything was cached.
        log("cold: the first request of each page (first-request cache fills)…")
        live = []
        for entry in entries:
            row = one_request(clients[entry["scope"]], entry["urls"][0])
            s = summary[entry["scope"]]
            if row["status"] == 404 and entry["page"].startswith("api_"):
                s[entry["page"]] = {
                    "skipped": f"{entry['urls'][0]} answers 404 (the REST API is not in this tree)"
                }
                continue
            if row["status"] in (401, 403) and entry["page"].startswith("api_"):
                s[entry["page"]] = {
                    "skipped": f"{entry['urls'][0]} answers {row['status']} to a logged-in session"
                }
                continue
            if row["status"] != 200:
                sys.exit(f"{entry['scope']} {entry['urls'][0]} answered {row['status']}")
            s[entry["page"]] = {"cold_ms": _r(row["ms"]), "cold_db_ms": row["db_ms"]}
            live.append(entry)
            log(
                f"  {entry['scope']:<13}{entry['page']:<16}{row['ms']:9.0f} ms (db {row['db_ms']} ms, "
                f"{row['queries']} queries)  {entry['urls'][0]}"
            )

        log("warm-up: every URL until every server process has answered it…")
        warm = warm_up(base, sessions, live, args.workers)
        log(f"  {warm['requests']} requests")

        log(f"load: {args.requests} requests per page and scope, {args.concurrency} at a time…")
        t0 = time.perf_counter()
        rows = run_load(base, sessions, live, args.requests, args.concurrency, label="load")
        wall = time.perf_counter() - t0
        for entry in live:
            mine = [r for r in rows if r["scope"] == entry["scope"] and r["page"] == entry["page"]]
            summary[entry["scope"]][entry["page"]].update(summarise(mine))

        if args.with_import:
            why_not = jobs_available()
            if why_not:
                notes.append(f"--with-import skipped: {why_not}")
                log(notes[-1])
            else:
                log(f"writing bench/import.py's {args.import_rows:,}-row list…")
                path, unit_id = write_import_list(args.import_rows, "38", home)
                worker = subprocess.Popen(
                    [sys.executable, "-m", "canbo.cli", "worker"],
                    env={**env, "DATABASE_URL": f"{PG}/{args.db}", "CANBO_HOME": str(home)},
                    stdout=open(home / "worker.log", "w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # noqa: SIM115
                done = threading.Event()
                try:
                    job = threading.Thread(
                        target=run_import_job,
                        args=(base, clients["system_admin"], path, unit_id, done, import_report),
                    )
                    job.start()
                    rows_import = run_load(
                        base,
                        sessions,
                        live,
                        args.requests,
                        args.concurrency,
                        label="load during the import",
                        stop=done,
                    )
                    job.join()
                finally:
                    stop_server(worker)
                during_import = {key: {} for key in SCOPES}
                for entry in live:
                    mine = [
                        r for r in rows_import if r["scope"] == entry["scope"] and r["page"] == entry["page"]
                    ]
                    during_import[entry["scope"]][entry["page"]] = summarise(mine)
                mark_dirty(args.db, "the 200,000-row import of --with-import was committed")
    finally:
        stop_server(proc)

    print(table(summary), flush=True)
    if during_import:
        print("during the import:\n" + table(during_import), flush=True)
    measured = [(k, p, s) for k, pages in summary.items() for p, s in pages.items() if "p95_ms" in s]
    worst = max(measured, key=lambda x: x[2]["p95_ms"]) if measured else None
    result = {
        "data": info,
        "server": f"granian {command}",
        "client": f"httpx, {args.concurrency} threads, keep-alive, no think time",
        "requests_per_page_and_scope": args.requests,
        "warmup": warm,
        "seconds_load": round(wall, 1),
        "requests_per_second": round(len(rows) / wall, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "scopes": {k: users[k]["unit_label"] for k in SCOPES},
        "target_p95_ms": args.target_ms,
        "worst_p95": {"scope": worst[0], "page": worst[1], "p95_ms": worst[2]["p95_ms"]} if worst else None,
        "within_target": all(s["p95_ms"] <= args.target_ms for _k, _p, s in measured),
        "pages": summary,
    }
    if during_import is not None:
        measured_i = [s for pages in during_import.values() for s in pages.values() if s.get("p95_ms")]
        result.update(
            during_import=during_import,
            import_job=import_report,
            within_target_during_import=all(s["p95_ms"] <= args.target_ms for s in measured_i),
        )
    if notes:
        result["notes"] = notes
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def mark_dirty(db: str, why: str) -> None:
    """The data set is no longer the generated one: the next run generates it again."""
    import psycopg.sql as sql

    marker = marker_of(db) or {}
    marker.update(complete=False, dirty=why)
    with admin_connect() as con:
        con.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(db), sql.Literal(json.dumps(marker))
            )
        )


if __name__ == "__main__":
    main()
