"""The backup archive (issue 11 §4 "Operations"): one gzip-compressed tar file holding a
manifest, the database and the uploaded files — written, and read back with every check a
restore needs *before* it touches anything.

Layout (``FORMAT_VERSION`` 1)::

    manifest.json           the first member: what the archive holds (:class:`Manifest`)
    database/<file>         the SQLite copy or the ``pg_dump --format=custom`` file (exactly one)
    media/<path>            each file under MEDIA_ROOT (import uploads, job results …)

The manifest names canbo's version, the format version, the database engine, the migrations
applied per app, the rows per table and every file with its size and SHA-256.

Reading trusts nothing in the file (:func:`read_archive`): the manifest must come first and be
well-formed; each member must be a regular file (no link, device or directory) whose name is a
plain relative path under ``database/`` or ``media/`` (no ``..``, no absolute path, no
backslash, no control character), listed in the manifest once, of the size the manifest says;
its bytes are hashed as they are written out and compared; every listed file must be present.
The decompressed stream is bounded by what the manifest announces, so a member that inflates
without end (a "zip bomb") is stopped after a few kilobytes past its announced size. Any failure
raises :class:`ArchiveError` with a Vietnamese and an English message; the caller has written
only into its own staging paths and removes them.

Pure Python (tarfile, gzip, hashlib, json): no Django. The database parts are the adapter's
(:mod:`canbo.operations`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "DATABASE_PREFIX",
    "ENGINES",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "MEDIA_PREFIX",
    "ArchiveError",
    "FileEntry",
    "Manifest",
    "check_member_name",
    "file_entry",
    "read_archive",
    "write_archive",
]

FORMAT = "canbo-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
ENGINES = ("sqlite", "postgresql")
#: A manifest larger than this is not one of ours (a million files take about 150 MB of JSON;
#: MEDIA_ROOT holds one file per import and job result).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
MAX_NAME_LENGTH = 1024
#: What tar adds around a member (header, long-name and pax headers, padding), at most.
MEMBER_OVERHEAD = 8 * 512
CHUNK = 1 << 20
SHA256 = re.compile(r"[0-9a-f]{64}")


class ArchiveError(Exception):
    """The archive cannot be written or is not a sound canbo backup: the message says why,
    Vietnamese first."""

    def __init__(self, vi: str, en: str):
        super().__init__(vi)
        self.vi = vi
        self.en = en

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


def _foreign(why_vi: str, why_en: str) -> ArchiveError:
    return ArchiveError(
        f"Tệp không phải là bản sao lưu hợp lệ của canbo: {why_vi}. Không khôi phục gì.",
        f"Not a valid canbo backup: {why_en}. Nothing was restored.",
    )


# --------------------------------------------------------------------------- the manifest


@dataclass(frozen=True)
class FileEntry:
    """One file of the archive: its member name, size in bytes and SHA-256 (hex)."""

    path: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def file_entry(path: str, local: Path) -> FileEntry:
    """The entry of a local file stored as member ``path`` (read once to hash it)."""
    h = hashlib.sha256()
    size = 0
    with open(local, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
            size += len(chunk)
    return FileEntry(path, size, h.hexdigest())


@dataclass
class Manifest:
    """What a backup holds. ``database`` is the database member; ``media`` the uploaded files;
    ``migrations`` the migrations applied per app and ``tables`` the rows per table, both read
    from the same snapshot as the database copy; ``details`` what the engine adds (server and
    dump tool versions)."""

    canbo_version: str
    created_at: str
    engine: str
    database: FileEntry
    media: list[FileEntry] = field(default_factory=list)
    migrations: dict[str, list[str]] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def files(self) -> list[FileEntry]:
        return [self.database, *self.media]

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def media_size(self) -> int:
        return sum(f.size for f in self.media)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "canbo_version": self.canbo_version,
            "created_at": self.created_at,
            "database": {"engine": self.engine, "file": self.database.path, **self.details},
            "migrations": self.migrations,
            "tables": self.tables,
            "files": [f.as_dict() for f in self.files],
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """The manifest in ``raw``, every field checked; :class:`ArchiveError` otherwise."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _foreign("manifest.json không đọc được", "manifest.json is not readable JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _foreign("manifest.json không phải của canbo", "manifest.json is not canbo's")
        version = data.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise _foreign("thiếu phiên bản định dạng", "no format version")
        if version > FORMAT_VERSION:
            raise ArchiveError(
                f"Bản sao lưu có định dạng phiên bản {version}, mới hơn phiên bản canbo này đọc được "
                f"({FORMAT_VERSION}): hãy nâng cấp canbo rồi khôi phục. Không khôi phục gì.",
                f"The backup's format version {version} is newer than this canbo reads ({FORMAT_VERSION}): "
                "upgrade canbo first. Nothing was restored.",
            )
        database = data.get("database")
        if not isinstance(database, dict) or database.get("engine") not in ENGINES:
            raise _foreign("không rõ loại cơ sở dữ liệu", "unknown database engine")
        files = data.get("files")
        if not isinstance(files, list) or not files:
            raise _foreign("danh sách tệp trống", "no file list")
        entries: list[FileEntry] = []
        seen: set[str] = set()
        for item in files:
            entry = _entry(item)
            if entry.path in seen:
                raise _foreign(f"tệp «{entry.path}» được kê hai lần", f"«{entry.path}» listed twice")
            seen.add(entry.path)
            entries.append(entry)
        databases = [e for e in entries if e.path.startswith(DATABASE_PREFIX)]
        if len(databases) != 1 or database.get("file") != databases[0].path or entries[0] != databases[0]:
            raise _foreign("không có đúng một tệp cơ sở dữ liệu", "not exactly one database file")
        migrations = data.get("migrations")
        if not isinstance(migrations, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(n, str) for n in v)
            for k, v in migrations.items()
        ):
            raise _foreign("trạng thái di chuyển (migration) sai dạng", "malformed migration state")
        tables = data.get("tables")
        if not isinstance(tables, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in tables.items()
        ):
            raise _foreign("số dòng theo bảng sai dạng", "malformed table counts")
        details = {k: str(v) for k, v in database.items() if k not in ("engine", "file")}
        return cls(
            canbo_version=str(data.get("canbo_version", "")),
            created_at=str(data.get("created_at", "")),
            engine=database["engine"],
            database=databases[0],
            media=entries[1:],
            migrations=migrations,
            tables=tables,
            details=details,
            format_version=version,
        )


def _entry(item: object) -> FileEntry:
    if not isinstance(item, dict):
        raise _foreign("danh sách tệp sai dạng", "malformed file list")
    path, size, sha = item.get("path"), item.get("size"), item.get("sha256")
    if not isinstance(path, str) or check_member_name(path) or path == MANIFEST_NAME:
        raise _foreign(f"tên tệp không hợp lệ «{path}»", f"invalid file name «{path}»")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise _foreign(f"dung lượng tệp «{path}» sai", f"invalid size of «{path}»")
    if not isinstance(sha, str) or not SHA256.fullmatch(sha):
        raise _foreign(f"mã băm của tệp «{path}» sai", f"invalid checksum of «{path}»")
    return FileEntry(path, size, sha)


def check_member_name(name: str) -> str | None:
    """Why ``name`` may not be a member of a canbo archive (Vietnamese), or None when it may:
    a plain relative path — ``manifest.json``, ``database/<file>`` or ``media/<path>`` — with no
    empty, ``.`` or ``..`` part, no leading ``/``, no backslash, drive or control character."""
    if not name or len(name) > MAX_NAME_LENGTH:
        return "tên rỗng hoặc quá dài"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "tên có ký tự điều khiển"
    if name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return "đường dẫn tuyệt đối"
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "đường dẫn ra ngoài thư mục (.., //)"
    if name == MANIFEST_NAME:
        return None
    if parts[0] + "/" == DATABASE_PREFIX and len(parts) == 2:
        return None
    if parts[0] + "/" == MEDIA_PREFIX and len(parts) >= 2:
        return None
    return "không thuộc database/ hay media/"


# --------------------------------------------------------------------------- writing


class _HashingReader:
    """Reads a file for tarfile, hashing what it hands over."""

    def __init__(self, f: BinaryIO):
        self.f = f
        self.h = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.h.update(data)
        self.size += len(data)
        return data


def write_archive(
    target: Path,
    manifest: Manifest,
    sources: Mapping[str, Path],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write ``manifest`` then each of its files (``sources``: member name → local file) into
    ``target``, a new gzip-compressed tar (mode 0600: it holds personal data). The archive is
    written beside the target and renamed into place only when complete. A file whose bytes no
    longer match the manifest (changed while the backup ran) fails the backup."""
    if target.exists():
        raise ArchiveError(
            f"Tệp «{target}» đã có; chọn tên khác (--output).",
            f"«{target}» already exists; choose another name (--output).",
        )
    partial = target.with_name(target.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    done = 0
    try:
        with (
            os.fdopen(fd, "wb") as out,
            gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=6, mtime=0) as gz,
            tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar,
        ):
            raw = manifest.to_json()
            info = _info(MANIFEST_NAME, len(raw))
            tar.addfile(info, io.BytesIO(raw))
            for entry in manifest.files:
                local = sources[entry.path]
                with open(local, "rb") as f:
                    reader = _HashingReader(f)
                    try:
                        tar.addfile(_info(entry.path, entry.size), reader)
                    except OSError:
                        reader.size = -1
                    if reader.size != entry.size or reader.h.hexdigest() != entry.sha256:
                        raise ArchiveError(
                            f"Tệp «{local}» đã thay đổi trong khi sao lưu; hãy chạy lại.",
                            f"«{local}» changed while the backup ran; run it again.",
                        )
                done += entry.size
                if progress:
                    progress(done, manifest.total_size)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = 0
    info.type = tarfile.REGTYPE
    return info


# --------------------------------------------------------------------------- reading


class _TooLarge(Exception):
    pass


class _Bounded:
    """A read-only stream that refuses to hand out more than ``limit`` bytes in all."""

    def __init__(self, f: BinaryIO, limit: int):
        self.f = f
        self.limit = limit
        self.consumed = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = CHUNK
        data = self.f.read(min(n, self.limit - self.consumed + 1))
        self.consumed += len(data)
        if self.consumed > self.limit:
            raise _TooLarge
        return data


def read_archive(
    path: Path,
    *,
    check: Callable[[Manifest], None],
    destination: Callable[[FileEntry], Path],
    progress: Callable[[int, int], None] | None = None,
) -> Manifest:
    """Read and verify the archive at ``path``; write each file where ``destination`` says.

    ``check`` is called with the manifest before any file is written (the caller refuses a
    wrong engine, a newer schema, a full disk … by raising). Every member is checked as
    described in the module's docstring; the first problem raises :class:`ArchiveError` and
    the caller discards what was written. Returns the verified manifest."""
    try:
        raw = open(path, "rb")  # noqa: SIM115  (closed below)
    except OSError as e:
        raise ArchiveError(
            f"Không mở được tệp «{path}»: {e.strerror}.", f"Cannot open «{path}»: {e.strerror}."
        ) from None
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic.startswith(b"PK"):
            raise _foreign("đây là tệp zip, bản sao lưu là tệp .tar.gz", "a zip file; a backup is a .tar.gz")
        if not magic.startswith(b"\x1f\x8b"):
            raise _foreign("không phải tệp nén .tar.gz", "not a .tar.gz file")
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        bounded = _Bounded(gz, MAX_MANIFEST_BYTES + 4 * MEMBER_OVERHEAD)  # type: ignore[arg-type]
        try:
            return _read(bounded, check, destination, progress)
        except _TooLarge:
            raise _foreign(
                "dữ liệu giải nén vượt quá dung lượng bản kê khai (manifest) cho biết",
                "it inflates beyond the sizes its manifest announces",
            ) from None
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise _foreign(
                f"tệp hỏng hoặc bị cắt cụt ({type(e).__name__}: {e})",
                f"the file is corrupt or truncated ({type(e).__name__}: {e})",
            ) from None


def _read(
    bounded: _Bounded,
    check: Callable[[Manifest], None],
    destination: Callable[[FileEntry], Path],
    progress: Callable[[int, int], None] | None,
) -> Manifest:
    with tarfile.open(fileobj=bounded, mode="r|") as tar:  # type: ignore[call-overload]
        return _members(tar, bounded, check, destination, progress)


def _members(
    tar: tarfile.TarFile,
    bounded: _Bounded,
    check: Callable[[Manifest], None],
    destination: Callable[[FileEntry], Path],
    progress: Callable[[int, int], None] | None,
) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST_NAME or not first.isreg():
        raise _foreign("không có manifest.json ở đầu tệp", "no manifest.json at its start")
    if first.size > MAX_MANIFEST_BYTES:
        raise _foreign("manifest.json quá lớn", "manifest.json is too large")
    source = tar.extractfile(first)
    assert source is not None
    manifest = Manifest.from_json(source.read())
    check(manifest)
    expected = {e.path: e for e in manifest.files}
    bounded.limit = bounded.consumed + manifest.total_size + (len(expected) + 4) * MEMBER_OVERHEAD
    seen: set[str] = set()
    done = 0
    # (Not ``for member in tar``: in stream mode that starts again with the manifest.)
    while (member := tar.next()) is not None:
        problem = check_member_name(member.name)
        if problem:
            raise _foreign(f"thành phần «{member.name}»: {problem}", f"member «{member.name}»: unsafe name")
        if not member.isreg():
            raise _foreign(
                f"«{member.name}» là liên kết, thư mục hoặc tệp đặc biệt, không phải tệp thường",
                f"«{member.name}» is a link, directory or special file, not a regular file",
            )
        entry = expected.get(member.name)
        if entry is None or member.name in seen:
            raise _foreign(
                f"«{member.name}» không có trong manifest.json hoặc lặp lại",
                f"«{member.name}» is not in manifest.json or repeated",
            )
        if member.size != entry.size:
            raise _foreign(
                f"«{member.name}» có {member.size} byte, manifest.json ghi {entry.size}",
                f"«{member.name}» has {member.size} bytes, manifest.json says {entry.size}",
            )
        seen.add(member.name)
        _extract(tar, member, entry, destination(entry))
        done += entry.size
        if progress:
            progress(done, manifest.total_size)
    missing = [p for p in expected if p not in seen]
    if missing:
        raise _foreign(
            f"thiếu {len(missing)} tệp (ví dụ «{missing[0]}»): tệp bị cắt cụt?",
            f"{len(missing)} files missing (e.g. «{missing[0]}»): truncated?",
        )
    # Read to the end of the gzip stream: its length and CRC are checked there.
    while bounded.read(CHUNK):
        pass
    return manifest


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, entry: FileEntry, target: Path) -> None:
    source = tar.extractfile(member)
    assert source is not None
    h = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            h.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if h.hexdigest() != entry.sha256:
        raise ArchiveError(
            f"Tệp «{entry.path}» trong bản sao lưu không khớp mã băm SHA-256 ghi trong manifest.json: "
            "bản sao lưu bị hỏng hoặc bị sửa. Không khôi phục gì.",
            f"«{entry.path}» does not match the SHA-256 in manifest.json: the backup is corrupt or "
            "was altered. Nothing was restored.",
        )
