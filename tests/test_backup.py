"""``canbo backup`` and ``canbo restore`` (issue 11 §4), as an operator runs them: the real
``canbo`` program in subprocesses, against real databases and real files that those processes
see — a SQLite file under a temporary CANBO_HOME in the SQLite run of the suite, fresh PostgreSQL
databases (named after ``DATABASE_URL``'s, dropped at the end) in its PostgreSQL run (CI runs
both; each engine is tried once, not twice).

The installation backed up is built by tests/backup_source.py: the ``world`` of conftest.py plus
a record in every table and uploaded files. A restore into a fresh database must give back every
row of every table (compared table by table, row by row) and every file (byte for byte), and the
restored system must work (login, the kept import file, a new record). A restore over existing
data needs ``--force``. Bad archives — corrupt, truncated, foreign, path traversal, links, an
inflating member, a checksum mismatch, another engine, a newer schema — are refused with exit
code 2 and a Vietnamese message, and the target (every row, every file, no leftovers) is as it
was. A damaged SQLite file is replaced with ``--force``; an unreachable database is a message,
not a traceback. An archive of an older schema is restored and asks for ``canbo migrate``. A
backup taken while another connection writes is consistent.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from archive_tools import inflating, members_of, repack
from backup_source import ADMIN, PASSWORD, RESULTS

TESTS = Path(__file__).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
#: SQLite always; PostgreSQL when the run is on PostgreSQL (CI's second run).
ENGINES = ["postgresql"] if ON_POSTGRES else ["sqlite"]
REFUSED = 2


# --------------------------------------------------------------------------- installations


@dataclass
class Site:
    """One canbo installation: a CANBO_HOME (its var/media) and a database."""

    home: Path
    url: str
    engine: str

    @property
    def var(self) -> Path:
        return self.home / "var"

    @property
    def media(self) -> Path:
        return self.var / "media"

    def env(self, **more: str) -> dict[str, str]:
        drop = {"DATABASE_URL", "CANBO_HOME", "CANBO_RULES_DIRS", "DJANGO_SETTINGS_MODULE"}
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(DATABASE_URL=self.url, CANBO_HOME=str(self.home), DJANGO_SETTINGS_MODULE="canbo.settings")
        env.update(more)
        return env

    def run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, capture_output=True, text=True, env=self.env(), timeout=900, check=False, **kwargs
        )

    def canbo(self, *args: str) -> subprocess.CompletedProcess:
        script = Path(sys.executable).parent / "canbo"
        program = [str(script)] if script.exists() else [sys.executable, "-m", "canbo.cli"]
        return self.run([*program, *args], cwd=self.home)

    def python(self, code: str) -> subprocess.CompletedProcess:
        return self.run([sys.executable, "-c", textwrap.dedent(code)], cwd=TESTS)

    # ------------------------------------------------------------------ reading it directly

    def connect(self):
        if self.engine == "sqlite":
            return sqlite3.connect(self.var / "canbo.sqlite3")
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def rows(self) -> dict[str, list[tuple]]:
        """Every row of every table, in a stable order."""
        con = self.connect()
        try:
            cur = con.cursor()
            if self.engine == "sqlite":
                cur.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            else:
                cur.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            tables = sorted(r[0] for r in cur.fetchall())
            found = {}
            for table in tables:
                cur.execute(f'SELECT * FROM "{table}"')
                found[table] = sorted((tuple(r) for r in cur.fetchall()), key=repr)
            return found
        finally:
            con.close()

    def execute(self, sql: str) -> None:
        con = self.connect()
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()

    def files(self) -> dict[str, str]:
        """Each file under MEDIA_ROOT → its SHA-256."""
        if not self.media.exists():
            return {}
        return {
            p.relative_to(self.media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.media.rglob("*"))
            if p.is_file()
        }

    def listing(self) -> list[str]:
        """Every entry under CANBO_HOME: a staging directory left behind would show."""
        return sorted(p.relative_to(self.home).as_posix() for p in self.home.rglob("*"))

    def state(self) -> tuple:
        return self.rows(), self.files(), self.listing()


def admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Makes empty installations; fresh PostgreSQL databases are dropped at the end."""
    made: list[str] = []
    base = urlsplit(DATABASE_URL).path.lstrip("/") if ON_POSTGRES else ""

    def make(engine: str, like: Site | None = None) -> Site:
        """An empty installation, or a copy of ``like`` (its database and its files)."""
        home = tmp_path_factory.mktemp("site")
        if like is not None:
            shutil.copytree(like.var, home / "var")
        if engine == "sqlite":
            return Site(home, f"sqlite:///{home / 'var' / 'canbo.sqlite3'}", engine)
        import psycopg

        name = f"{base}_bk_{secrets.token_hex(4)}"
        template = f' TEMPLATE "{urlsplit(like.url).path.lstrip("/")}"' if like else ""
        with psycopg.connect(admin_url(DATABASE_URL), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"{template}')
        made.append(name)
        return Site(home, urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}")), engine)

    yield make
    if made:
        import psycopg

        with psycopg.connect(admin_url(DATABASE_URL), autocommit=True) as con:
            for name in made:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Source:
    site: Site
    archive: Path
    rows: dict[str, list[tuple]]
    files: dict[str, str]
    output: str


#: Tables the source leaves empty, with the reason: features of django-axes canbo does not use.
EMPTY_IN_SOURCE = {"axes_accessattemptexpiration", "axes_accessfailurelog"}


@pytest.fixture(scope="module", params=ENGINES)
def source(request, sites) -> Source:
    """The installation of tests/backup_source.py and its backup."""
    site = sites(request.param)
    built = site.run([sys.executable, str(TESTS / "backup_source.py")], cwd=TESTS)
    assert built.returncode == 0, built.stdout + built.stderr
    archive = site.home / "sao-luu.tar.gz"
    done = site.canbo("backup", "--output", str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    return Source(site, archive, site.rows(), site.files(), done.stdout)


@pytest.fixture
def fresh(source, sites) -> Site:
    return sites(source.site.engine)


@pytest.fixture(scope="module")
def populated(source, sites) -> Site:
    """An installation holding data: the backup restored, then one person renamed, a row added
    and a stray file — so that it differs from the backup in every part."""
    site = sites(source.site.engine)
    done = site.canbo("restore", str(source.archive))
    assert done.returncode == 0, done.stdout + done.stderr
    site.execute("UPDATE registry_person SET given_name = 'Khác' WHERE family_name = 'Hoàng'")
    site.execute("DELETE FROM django_session")
    (site.media / "ghi-chu.txt").write_text("tệp chỉ có ở đây", encoding="utf-8")
    if site.engine == "sqlite":
        site.execute("PRAGMA journal_mode=WAL")  # as the server leaves it
    return site


def restored(site: Site, archive: Path, *args: str) -> subprocess.CompletedProcess:
    done = site.canbo("restore", str(archive), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def refused(site: Site, archive: Path, *words: str, force: bool = True, lang: str = "vi") -> str:
    """``canbo restore`` refuses ``archive`` with exit code 2 and a message holding ``words``;
    every row, every file and the directory listing of ``site`` are as they were."""
    before = site.state()
    done = site.canbo("restore", str(archive), "--lang", lang, *(["--force"] if force else []))
    assert done.returncode == REFUSED, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert site.state() == before
    return done.stderr


# --------------------------------------------------------------------------- the backup


def test_every_table_of_the_source_holds_rows(source):
    empty = {t for t, rows in source.rows.items() if not rows}
    assert empty <= EMPTY_IN_SOURCE, sorted(empty - EMPTY_IN_SOURCE)
    assert len(source.rows) >= 50


def test_the_archive_holds_the_manifest_the_database_and_every_upload(source):
    manifest, content = members_of(source.archive)
    assert manifest["format"] == "canbo-backup" and manifest["format_version"] == 1
    assert manifest["database"]["engine"] == source.site.engine
    assert manifest["tables"] == {t: len(rows) for t, rows in source.rows.items()}
    assert "0001_initial" in manifest["migrations"]["registry"]
    media = {f["path"].removeprefix("media/"): f["sha256"] for f in manifest["files"][1:]}
    assert media == source.files
    assert {name.removeprefix("media/") for name in content if name.startswith("media/")} == set(source.files)
    for entry in manifest["files"]:
        data = content[entry["path"]]
        assert len(data) == entry["size"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
    # The uploaded import file and the job results are in it.
    assert any(name.startswith("imports/") and name.endswith(".xlsx") for name in media)
    assert set(RESULTS) <= set(media)
    assert source.archive.stat().st_mode & 0o777 == 0o600
    assert "Đã sao lưu vào" in source.output


# --------------------------------------------------------------------------- the restore


def test_a_restore_into_a_fresh_database_gives_back_every_record_and_every_upload(source, fresh):
    done = restored(fresh, source.archive)
    assert f"Cả {len(source.rows)} bảng khớp số dòng với bản sao lưu" in done.stdout
    assert f"Cán bộ, công chức: {len(source.rows['registry_person'])}\n" in done.stdout
    assert f"Tệp tải lên: {len(source.files)} tệp" in done.stdout
    assert "có thể khởi động máy chủ" in done.stdout

    rows = fresh.rows()
    assert set(rows) == set(source.rows)
    for table, expected in source.rows.items():
        assert rows[table] == expected, table
    assert fresh.files() == source.files
    for relative, data in RESULTS.items():
        assert (fresh.media / relative).read_bytes() == data
    assert not [p for p in fresh.listing() if ".canbo-" in p]

    # Spot checks through the restored system itself: the edit and its history, the import batch
    # and its file, a login, a new record (the sequences follow), the health check.
    check = fresh.python(f"""
        import hashlib, json, django
        django.setup()
        from django.test import Client
        from canbo.imports.models import ImportBatch, ImportReview
        from canbo.registry.models import Person
        person = Person.objects.get(family_name="Hoàng", middle_name="Văn", given_name="Thắng")
        history = [(h.history_type, h.ethnicity) for h in person.history.order_by("history_id")]
        batch = ImportBatch.objects.get()
        stored = hashlib.sha256(batch.file.read()).hexdigest()
        browser = Client(HTTP_HOST="127.0.0.1")
        login = browser.post("/login/", {{"username": "{ADMIN}", "password": "{PASSWORD}"}})
        download = browser.get(f"/import/{{batch.pk}}/file/")
        body = b"".join(download.streaming_content) if download.streaming else download.content
        new = Person.objects.create(
            family_name="Mới", middle_name="Văn", given_name="Khôi phục",
            birth_date=person.birth_date, sex="male", ethnicity="07", managing_unit=person.managing_unit,
        )
        print(json.dumps({{
            "history": history, "batch_sha": batch.sha256, "stored_sha": stored,
            "status": batch.status, "reviews": ImportReview.objects.count(),
            "login": login.status_code, "download": download.status_code,
            "download_sha": hashlib.sha256(body).hexdigest(),
            "new_pk_above": new.pk > max(p.pk for p in Person.objects.exclude(pk=new.pk)),
            "healthz": Client(HTTP_HOST="127.0.0.1").get("/healthz").status_code,
        }}))
    """)
    assert check.returncode == 0, check.stderr
    seen = json.loads(check.stdout.strip().splitlines()[-1])
    assert seen["history"] == [["+", "07"], ["~", "01"]]
    assert seen["batch_sha"] == seen["stored_sha"] == seen["download_sha"]
    assert seen["status"] == "committed" and seen["reviews"] == 1
    assert seen["login"] == 302 and seen["download"] == 200
    assert seen["new_pk_above"] and seen["healthz"] == 200


def test_existing_data_is_replaced_only_with_force(source, populated):
    message = refused(populated, source.archive, "Không khôi phục đè", "--force", force=False)
    assert "registry_" in message and f"{len(source.files) + 1} tệp trong" in message
    restored(populated, source.archive, "--force")
    assert populated.rows() == source.rows
    assert populated.files() == source.files  # the stray file is gone, the backup's are back
    # Put it back the way the other tests expect it.
    populated.execute("UPDATE registry_person SET given_name = 'Khác' WHERE family_name = 'Hoàng'")
    (populated.media / "ghi-chu.txt").write_text("tệp chỉ có ở đây", encoding="utf-8")


# --------------------------------------------------------------------------- bad archives


def _corrupt(good: Path, bad: Path) -> Path:
    data = bytearray(good.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 200):
        data[i] ^= 0x5A
    bad.write_bytes(bytes(data))
    return bad


def _truncated(good: Path, bad: Path) -> Path:
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) * 2 // 3])
    return bad


def _foreign(good: Path, bad: Path) -> Path:
    with tarfile.open(bad, "w:gz") as tar:
        tar.add(__file__, arcname="test_backup.py")
    return bad


def _traversal(good: Path, bad: Path) -> Path:
    info = tarfile.TarInfo("../../etc/passwd")
    info.size = 5
    return repack(good, bad, extra=[(info, b"root\n")])


def _symlink(good: Path, bad: Path) -> Path:
    name = "media/results/2026/trống.txt"
    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = "/etc/passwd"
    return repack(good, bad, members={name: None}, extra=[(info, None)])


def _inflating(good: Path, bad: Path) -> Path:
    return inflating(good, bad, "media/results/2026/trống.txt", 300 * 1024 * 1024)


def _checksum(good: Path, bad: Path) -> Path:
    name = "media/" + next(iter(RESULTS))
    altered = bytearray(RESULTS[name.removeprefix("media/")])
    altered[1000] ^= 1
    return repack(good, bad, members={name: bytes(altered)})


def _other_engine(good: Path, bad: Path) -> Path:
    manifest, _ = members_of(good)
    other = "sqlite" if manifest["database"]["engine"] == "postgresql" else "postgresql"
    return repack(good, bad, manifest=lambda m: m["database"].update(engine=other))


def _newer_schema(good: Path, bad: Path) -> Path:
    return repack(good, bad, manifest=lambda m: m["migrations"]["registry"].append("9999_from_the_future"))


def _garbage_database(good: Path, bad: Path) -> Path:
    manifest, _ = members_of(good)
    name = manifest["database"]["file"]
    garbage = os.urandom(50_000)

    def change(m):
        m["files"][0].update(size=len(garbage), sha256=hashlib.sha256(garbage).hexdigest())

    return repack(good, bad, manifest=change, members={name: garbage})


def _rows_altered(good: Path, bad: Path) -> Path:
    return repack(good, bad, manifest=lambda m: m["tables"].update(registry_person=1))


def _too_big(good: Path, bad: Path) -> Path:
    return repack(good, bad, manifest=lambda m: m["files"][-1].update(size=50 * 1024**4))


#: (maker, words of the message, engines it is tried on).
BAD = {
    "corrupt": (_corrupt, ["hỏng", "Không khôi phục gì"], ENGINES),
    "truncated": (_truncated, ["hỏng hoặc bị cắt cụt"], ENGINES),
    # In English on request (--lang en).
    "foreign": (_foreign, ["Not a valid canbo backup", "no manifest.json"], ["sqlite"]),
    "traversal": (_traversal, ["../../etc/passwd", "ra ngoài thư mục"], ["sqlite"]),
    "symlink": (_symlink, ["không phải tệp thường"], ["sqlite"]),
    "inflating": (_inflating, ["314572800 byte"], ["sqlite"]),
    "checksum": (_checksum, ["không khớp mã băm SHA-256"], ENGINES),
    "other_engine": (_other_engine, ["chỉ khôi phục vào cùng loại", "docs/deploy.md"], ENGINES),
    "newer_schema": (_newer_schema, ["phiên bản canbo mới hơn", "registry.9999_from_the_future"], ENGINES),
    "garbage_database": (_garbage_database, ["Không khôi phục gì"], ENGINES),
    "rows_altered": (_rows_altered, ["không khớp với manifest.json"], ["sqlite"]),
    "too_big": (_too_big, ["Không đủ chỗ trống"], ["sqlite"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_archive_is_refused_and_nothing_is_changed(source, populated, tmp_path, case):
    make, words, engines = BAD[case]
    if source.site.engine not in engines:
        pytest.skip(f"{case}: the same on every engine, tried on SQLite")
    bad = make(source.archive, tmp_path / f"{case}.tar.gz")
    refused(populated, bad, *words, lang="en" if case == "foreign" else "vi")


def test_a_database_in_use_is_not_replaced(source, populated):
    """Another process holding the database open (the server, a worker) stops the restore: an
    idle SQLite connection in WAL mode, a PostgreSQL session."""
    before = populated.state()
    con = populated.connect()
    try:
        con.execute("SELECT count(*) FROM registry_person").fetchone()
        done = populated.canbo("restore", str(source.archive), "--force")
    finally:
        con.close()
    assert done.returncode == REFUSED, done.stdout + done.stderr
    word = "đang được một tiến trình khác mở" if populated.engine == "sqlite" else "kết nối khác đang mở"
    assert word in done.stderr and "dừng" in done.stderr
    assert populated.state() == before


def test_a_damaged_sqlite_database_is_replaced_only_with_force(source, sites):
    """Disaster recovery: the database file is damaged; the restore says so and replaces it when
    told to."""
    if source.site.engine != "sqlite":
        pytest.skip("a damaged file is SQLite's case")
    site = sites("sqlite")
    site.var.mkdir(parents=True)
    damaged = os.urandom(8192)
    (site.var / "canbo.sqlite3").write_bytes(damaged)
    done = site.canbo("restore", str(source.archive))
    assert done.returncode == REFUSED and "không đọc được" in done.stderr and "--force" in done.stderr
    assert (site.var / "canbo.sqlite3").read_bytes() == damaged
    restored(site, source.archive, "--force")
    assert site.rows() == source.rows


def test_an_unreachable_database_is_a_message_not_a_traceback(tmp_path):
    site = Site(tmp_path, "postgres://postgres@127.0.0.1:9/nowhere", "postgresql")
    archive = tmp_path / "x.tar.gz"
    done = site.canbo("backup", "--output", str(archive))
    # (Where PostgreSQL's client tools are not installed, that is what the message says.)
    assert done.returncode == 1, done.stderr
    assert "Lỗi cơ sở dữ liệu" in done.stderr or "Không tìm thấy chương trình «pg_dump»" in done.stderr
    assert "Traceback" not in done.stderr and not list(tmp_path.glob("x.tar.gz*"))


# --------------------------------------------------------------------------- schema versions


def test_an_older_schema_is_restored_and_asks_for_migrate(source, sites):
    """A backup made before this release's last migration of an app: restored, then
    ``canbo migrate`` brings it up to date."""
    old = sites(source.site.engine, like=source.site)
    done = old.canbo("migrate", "access", "0003")
    assert done.returncode == 0, done.stdout + done.stderr
    archive = old.home / "cu.tar.gz"
    assert old.canbo("backup", "--output", str(archive)).returncode == 0
    manifest, _ = members_of(archive)
    assert "0004_user_plain_names" not in manifest["migrations"]["access"]

    target = sites(source.site.engine)
    done = restored(target, archive)
    later = sorted(
        f.stem
        for f in (Path(__file__).parents[1] / "src/canbo/access/migrations").glob("0*.py")
        if f.stem[:4] > "0003"
    )
    assert later and later[0] == "0004_user_plain_names"
    assert f"còn {len(later)} migration chưa áp dụng. Chạy «canbo migrate»" in done.stdout
    done = target.canbo("migrate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert target.rows()["registry_person"] == source.rows["registry_person"]


# --------------------------------------------------------------------------- backup while writing


def test_a_backup_taken_while_another_connection_writes_is_consistent(source, sites):
    """The server may run during a backup (SQLite in WAL mode; PostgreSQL): rows written while
    the copy is made are either in it or not — the copy, its manifest and the restore agree."""
    site = sites(source.site.engine, like=source.site)
    if site.engine == "sqlite":
        site.execute("PRAGMA journal_mode=WAL")
    stop = threading.Event()
    written = [0]

    def write():
        con = site.connect()
        if site.engine == "sqlite":
            con.execute("PRAGMA busy_timeout = 30000")
        try:
            while not stop.is_set():
                con.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date) "
                    f"VALUES ('k{secrets.token_hex(12)}', 'x', '2030-01-01 00:00:00')"
                )
                con.commit()
                written[0] += 1
        finally:
            con.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        archive = site.home / "trong-khi-ghi.tar.gz"
        done = site.canbo("backup", "--output", str(archive))
    finally:
        stop.set()
        writer.join()
    assert done.returncode == 0, done.stdout + done.stderr
    assert written[0] > 0
    manifest, _ = members_of(archive)
    # A second backup to the same name does not overwrite the first.
    again = site.canbo("backup", "--output", str(archive))
    assert again.returncode == 1 and "đã có" in again.stderr
    assert members_of(archive)[0] == manifest
    target = sites(source.site.engine)
    restored(target, archive)
    assert len(target.rows()["django_session"]) == manifest["tables"]["django_session"]
