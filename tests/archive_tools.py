"""Making bad backup archives from a good one, for the tests of the archive reader
(tests/core/test_archive.py) and of ``canbo restore`` (tests/test_backup.py)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

MANIFEST = "manifest.json"


def members_of(archive: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest (as a dict) and the other members' bytes of a (good, small) archive."""
    with tarfile.open(archive) as tar:
        content = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    return json.loads(content.pop(MANIFEST)), content


def repack(
    source: Path,
    target: Path,
    *,
    manifest: Callable[[dict], object] | None = None,
    members: dict[str, bytes | None] | None = None,
    extra: list[tuple[tarfile.TarInfo, bytes | None]] = (),  # type: ignore[assignment]
) -> Path:
    """A copy of the archive ``source`` with its manifest (a dict) changed by ``manifest``, its
    members' bytes replaced by ``members`` (name → bytes, or None to leave the member out), and
    ``extra`` (TarInfo, bytes) appended."""
    data, content = members_of(source)
    if manifest:
        manifest(data)
    content.update(members or {})
    with tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as out:
        raw = json.dumps(data, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(raw)
        out.addfile(info, io.BytesIO(raw))
        for name, value in content.items():
            if value is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(value)
            out.addfile(info, io.BytesIO(value))
        for info, value in extra:
            out.addfile(info, io.BytesIO(value) if value is not None else None)
    return target


class Zeros:
    """``n`` zero bytes, read in chunks (never held in memory at once)."""

    def __init__(self, n: int):
        self.left = n

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        self.left -= size
        return bytes(size)


def inflating(source: Path, target: Path, name: str, size: int) -> Path:
    """A copy of ``source`` whose member ``name`` holds ``size`` zero bytes, whatever the
    manifest says (a "zip bomb": a small file that inflates to a huge one)."""
    data, content = members_of(source)
    with gzip.open(target, "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w|") as out:
        raw = json.dumps(data, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(raw)
        out.addfile(info, io.BytesIO(raw))
        for member, value in content.items():
            info = tarfile.TarInfo(member)
            if member == name:
                info.size = size
                out.addfile(info, Zeros(size))  # type: ignore[arg-type]
            else:
                info.size = len(value)
                out.addfile(info, io.BytesIO(value))
    return target
