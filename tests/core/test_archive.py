"""The backup archive's format and its reader (``canbo.core.archive``, issue 11 §4): what is
written reads back byte for byte, and every kind of bad archive — corrupt, truncated, foreign,
a zip, path traversal, absolute names, links, a member that inflates beyond what the manifest
announces, a checksum that does not match, a file missing — is refused with a Vietnamese
message before anything lands outside the staging directory. Real files in ``tmp_path``; no
database (the restore itself: tests/test_backup.py)."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from archive_tools import Zeros, inflating, repack

from canbo.core.archive import (
    MANIFEST_NAME,
    ArchiveError,
    FileEntry,
    Manifest,
    check_member_name,
    file_entry,
    read_archive,
    write_archive,
)

FILES = {
    "database/canbo.sqlite3": b"SQLite format 3\x00" + os.urandom(5000),
    "media/imports/ab/abcd/danh sách xã Bảo Lâm.xlsx": os.urandom(20_000),
    "media/results/trống.txt": b"",
}


def manifest_for(files: dict[str, bytes], **changes) -> Manifest:
    entries = [FileEntry(p, len(b), hashlib.sha256(b).hexdigest()) for p, b in files.items()]
    fields = dict(
        canbo_version="0.1.0",
        created_at="2026-01-01T00:00:00+07:00",
        engine="sqlite",
        database=entries[0],
        media=entries[1:],
        migrations={"registry": ["0001_initial"]},
        tables={"registry_person": 7},
    )
    fields.update(changes)
    return Manifest(**fields)  # type: ignore[arg-type]


@pytest.fixture
def good(tmp_path) -> Path:
    src = tmp_path / "src"
    sources = {}
    for i, (name, data) in enumerate(FILES.items()):
        local = src / str(i)
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(data)
        sources[name] = local
    entries = [file_entry(name, path) for name, path in sources.items()]
    manifest = manifest_for(FILES)
    assert entries == manifest.files
    target = tmp_path / "backup.tar.gz"
    write_archive(target, manifest, sources)
    return target


def restore_to(archive: Path, where: Path, check=lambda m: None) -> Manifest:
    where.mkdir(parents=True, exist_ok=True)
    return read_archive(archive, check=check, destination=lambda e: where / e.path)


def files_under(root: Path) -> set[str]:
    return (
        {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    )


def refused(archive: Path, tmp_path: Path, *words: str) -> str:
    """Reading ``archive`` fails with a message holding ``words``; nothing is written outside
    the staging directory."""
    outside = set(files_under(tmp_path))
    stage = tmp_path / "stage"
    with pytest.raises(ArchiveError) as caught:
        restore_to(archive, stage)
    message = caught.value.message("vi")
    for word in words:
        assert word in message, message
    assert caught.value.message("en") != message
    after = {p for p in files_under(tmp_path) if not p.startswith("stage/")}
    assert after == outside
    return message


# --------------------------------------------------------------------------- writing and reading


def test_what_is_written_reads_back_byte_for_byte(good, tmp_path):
    manifest = restore_to(good, tmp_path / "out")
    for name, data in FILES.items():
        assert (tmp_path / "out" / name).read_bytes() == data
    assert manifest.engine == "sqlite" and manifest.tables == {"registry_person": 7}
    assert [e.path for e in manifest.media] == list(FILES)[1:]
    # The archive is private (personal data) and its first member is the manifest.
    assert good.stat().st_mode & 0o777 == 0o600
    with tarfile.open(good) as tar:
        names = tar.getnames()
    assert names[0] == MANIFEST_NAME and names[1:] == list(FILES)


def test_the_manifest_is_checked_before_any_file_is_written(good, tmp_path):
    class Refusal(Exception):
        pass

    def check(manifest):
        assert manifest.total_size == sum(len(b) for b in FILES.values())
        raise Refusal

    with pytest.raises(Refusal):
        restore_to(good, tmp_path / "out", check)
    assert files_under(tmp_path / "out") == set()


def test_an_existing_target_is_not_overwritten(good, tmp_path):
    with pytest.raises(ArchiveError, match="đã có"):
        write_archive(good, manifest_for(FILES), {})


def test_a_file_changed_since_it_was_hashed_fails_the_backup(tmp_path):
    local = tmp_path / "db"
    local.write_bytes(b"x" * 100)
    manifest = manifest_for({"database/canbo.sqlite3": b"y" * 100})
    target = tmp_path / "b.tar.gz"
    with pytest.raises(ArchiveError, match="đã thay đổi trong khi sao lưu"):
        write_archive(target, manifest, {"database/canbo.sqlite3": local})
    assert not target.exists() and not (tmp_path / "b.tar.gz.part").exists()


# --------------------------------------------------------------------------- member names


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "media/../../etc/passwd",
        "media/a/../../../x",
        "/etc/passwd",
        "/media/x",
        "C:/Windows/x",
        "media\\..\\x",
        "media//x",
        "media/./x",
        "media/",
        "database/sub/x",
        "etc/passwd",
        "media/a\x00b",
        "media/a\nb",
        "",
    ],
)
def test_unsafe_member_names_are_refused(name):
    assert check_member_name(name)


@pytest.mark.parametrize(
    "name", ["manifest.json", "database/canbo.pgdump", "media/imports/ab/x.xlsx", "media/báo cáo quý 4.xlsx"]
)
def test_plain_member_names_pass(name):
    assert check_member_name(name) is None


# --------------------------------------------------------------------------- bad archives


def test_corrupt_bytes_are_refused(good, tmp_path):
    data = bytearray(good.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0x5A
    bad = tmp_path / "corrupt.tar.gz"
    bad.write_bytes(bytes(data))
    # Caught by the deflate stream, gzip's CRC or the member's SHA-256, whichever comes first.
    refused(bad, tmp_path, "hỏng", "Không khôi phục gì")


@pytest.mark.parametrize("fraction", [0.02, 0.5, 0.97])
def test_a_truncated_archive_is_refused(good, tmp_path, fraction):
    data = good.read_bytes()
    bad = tmp_path / "truncated.tar.gz"
    bad.write_bytes(data[: int(len(data) * fraction)])
    refused(bad, tmp_path, "không phải là bản sao lưu hợp lệ")


def test_a_foreign_tar_gz_is_refused(tmp_path):
    bad = tmp_path / "other.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        data = b"hello"
        info = tarfile.TarInfo("readme.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    refused(bad, tmp_path, "không có manifest.json")


def test_a_zip_is_refused(tmp_path):
    bad = tmp_path / "backup.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr(MANIFEST_NAME, "{}")
    refused(bad, tmp_path, "tệp zip")


@pytest.mark.parametrize(
    "content",
    [b"", b"not an archive at all", os.urandom(4000), gzip.compress(b"plain text, not tar")],
    ids=["empty", "text", "random", "gzip-not-tar"],
)
def test_other_files_are_refused(tmp_path, content):
    bad = tmp_path / "x.tar.gz"
    bad.write_bytes(content)
    refused(bad, tmp_path, "không phải là bản sao lưu hợp lệ")


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "media/../../../escape.txt"])
def test_path_traversal_members_are_refused(good, tmp_path, name):
    info = tarfile.TarInfo(name)
    info.size = 4
    bad = repack(good, tmp_path / "traversal.tar.gz", extra=[(info, b"root")])
    refused(bad, tmp_path, name)
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE, tarfile.FIFOTYPE])
def test_links_directories_and_special_files_are_refused(good, tmp_path, kind):
    info = tarfile.TarInfo("media/results/trống.txt")
    info.type = kind
    info.linkname = "/etc/passwd"
    bad = repack(
        good, tmp_path / "link.tar.gz", members={"media/results/trống.txt": None}, extra=[(info, None)]
    )
    refused(bad, tmp_path, "không phải tệp thường")


def test_a_member_not_in_the_manifest_is_refused(good, tmp_path):
    info = tarfile.TarInfo("media/extra.bin")
    info.size = 3
    bad = repack(good, tmp_path / "extra.tar.gz", extra=[(info, b"abc")])
    refused(bad, tmp_path, "không có trong manifest.json")


def test_a_checksum_mismatch_is_refused(good, tmp_path):
    name = "media/imports/ab/abcd/danh sách xã Bảo Lâm.xlsx"
    altered = bytearray(FILES[name])
    altered[100] ^= 1
    bad = repack(good, tmp_path / "altered.tar.gz", members={name: bytes(altered)})
    refused(bad, tmp_path, "không khớp mã băm SHA-256")


def test_a_missing_file_is_refused(good, tmp_path):
    bad = repack(good, tmp_path / "missing.tar.gz", members={"media/results/trống.txt": None})
    refused(bad, tmp_path, "thiếu 1 tệp")


def test_a_member_larger_than_the_manifest_says_is_refused_before_it_is_read(good, tmp_path):
    # 200 MB of zeros, announced in the manifest as an empty file: refused from its header.
    bad = inflating(good, tmp_path / "bomb.tar.gz", "media/results/trống.txt", 200 * 1024 * 1024)
    assert bad.stat().st_size < 2 * 1024 * 1024
    refused(bad, tmp_path, "209715200 byte")


def test_an_inflating_header_is_stopped_at_the_announced_size(good, tmp_path):
    # A pax header of 40 MB on a member: tar would read it into memory; the bounded stream stops
    # reading a few kilobytes past what the manifest announces.
    info = tarfile.TarInfo("media/results/x")
    info.size = 0
    info.pax_headers = {"comment": "0" * (40 * 1024 * 1024)}
    bad = repack(good, tmp_path / "pax.tar.gz", extra=[(info, b"")])
    refused(bad, tmp_path, "vượt quá dung lượng")


def test_an_oversized_manifest_is_refused(tmp_path):
    bad = tmp_path / "big.tar.gz"
    with gzip.open(bad, "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w|") as out:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = 300 * 1024 * 1024
        out.addfile(info, Zeros(info.size))
    refused(bad, tmp_path, "manifest.json quá lớn")


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d.update(format="other"), "không phải của canbo"),
        (lambda d: d.update(format_version=2), "định dạng phiên bản 2"),
        (lambda d: d["database"].update(engine="mysql"), "không rõ loại cơ sở dữ liệu"),
        (lambda d: d["files"].append(dict(d["files"][1])), "được kê hai lần"),
        (lambda d: d["files"][1].update(path="media/../../x"), "tên tệp không hợp lệ"),
        (lambda d: d["files"][1].update(size=-1), "dung lượng tệp"),
        (lambda d: d["files"][1].update(sha256="00"), "mã băm"),
        (lambda d: d.update(tables={"x": "many"}), "số dòng theo bảng"),
        (lambda d: d.update(migrations=["x"]), "migration"),
        (lambda d: d["files"].pop(0), "không có đúng một tệp cơ sở dữ liệu"),
    ],
)
def test_a_malformed_manifest_is_refused(good, tmp_path, change, words):
    bad = repack(good, tmp_path / "manifest.tar.gz", manifest=change)
    refused(bad, tmp_path, words)
