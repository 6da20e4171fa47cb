"""Loading the rule files: the title catalogue, each ``*.yaml`` file of the rule directories,
and the national rule set.

:func:`load_rules` reads every file of the given directories (default: the national rules in
``src/canbo/rules``, :data:`DEFAULT_RULES_DIR`) with the line-tracking reader of
:mod:`.reader`, checks each file's ``instrument`` header (its code is the file name) and hands
each section to its parser in :mod:`.sections`; then the overlap checks across files. Every
problem is collected and, if there is any, :class:`~.model.RuleFileError` lists them all with
file and line (``docs/rules.md``). :func:`default_rules` is the national rule set, loaded once
per process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .model import Instrument, RuleFileError, RuleProblem, RuleSet
from .reader import _DuplicateKey, _File, _Loader, _Map
from .sections import _PARSERS, _SECTIONS, _overlaps

#: Where the national rule files live (``src/canbo/rules``).
DEFAULT_RULES_DIR = Path(__file__).resolve().parents[3] / "rules"
TITLES_FILE = Path(__file__).resolve().parents[3] / "data" / "titles.yaml"


def load_titles(path: Path = TITLES_FILE) -> dict[str, dict[str, Any]]:
    """The title catalogue (``data/titles.yaml``): code → {kind, valid_from, valid_to, …}."""
    rows = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    out = {}
    for r in rows:
        vf, vt = r.get("valid_from"), r.get("valid_to")
        out[r["code"]] = {
            "name": r["name"],
            "kind": r["kind"],
            "leadership": bool(r.get("leadership")),
            "valid_from": date.fromisoformat(vf) if vf else None,
            "valid_to": date.fromisoformat(vt) if vt else None,
            "order": r.get("order", 100),
        }
    return out


def _load_file(path: Path, display: str, titles: dict, rules: RuleSet) -> list[RuleProblem]:
    f = _File(path, display)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except _DuplicateKey as e:
        f.problem(e.line, f"Khóa bị lặp '{e.key}'", f"Duplicate key '{e.key}'")
        return f.problems
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        f.problem(
            mark.line + 1 if mark else 0,
            f"Lỗi cú pháp YAML: {getattr(e, 'problem', e)}",
            f"YAML syntax error: {getattr(e, 'problem', e)}",
        )
        return f.problems
    except UnicodeDecodeError:
        f.problem(0, "Tệp không phải UTF-8", "The file is not UTF-8")
        return f.problems
    if not f.keys(doc, "tệp", ["instrument"], _SECTIONS, 1) and (
        not isinstance(doc, _Map) or "instrument" not in doc
    ):
        return f.problems
    head = doc["instrument"]
    hl = doc.lines["instrument"]
    if not f.keys(
        head,
        "instrument",
        ["code", "name_vi", "name_en", "short_vi", "source"],
        ["issued", "in_force", "verified", "verification_note"],
        hl,
    ) and not isinstance(head, _Map):
        return f.problems
    code = head.get("code")
    if code != path.stem:
        f.problem(
            head.lines.get("code", hl),
            f"Mã văn bản '{code}' phải trùng tên tệp '{path.stem}'",
            f"Instrument code '{code}' must equal the file name '{path.stem}'",
        )
    verified = head.get("verified", True)
    note = str(head.get("verification_note") or "").strip()
    if verified is False and not note:
        f.problem(hl, "verified: false cần verification_note", "verified: false needs a verification_note")
    instrument = Instrument(
        code=str(code),
        name_vi=str(head.get("name_vi", "")),
        name_en=str(head.get("name_en", "")),
        short_vi=str(head.get("short_vi", "")),
        issued=f.date(head, "issued", required=False),
        in_force=f.date(head, "in_force", required=False),
        verified=verified is not False,
        verification_note=note,
        source=str(head.get("source", "")),
        path=display,
    )
    if instrument.code in rules.instruments:
        f.problem(
            hl,
            f"Văn bản '{code}' đã có ở tệp khác",
            f"Instrument '{code}' is already defined in another file",
        )
    rules.instruments[instrument.code] = instrument
    for section in _SECTIONS:
        entries = doc.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            f.problem(doc.lines[section], f"'{section}' phải là danh sách", f"'{section}' must be a list")
            continue
        for m in entries:
            if not isinstance(m, _Map):
                f.problem(
                    doc.lines[section],
                    f"Mỗi mục của '{section}' phải là bảng khóa–giá trị",
                    f"Each entry of '{section}' must be a mapping",
                )
                continue
            entry = _PARSERS[section](f, m, instrument, titles)
            if entry is not None:
                getattr(rules, section).append(entry)
    return f.problems


def load_rules(
    directories: Iterable[Path | str] | Path | str | None = None, *, titles_file: Path = TITLES_FILE
) -> RuleSet:
    """Load and validate every ``*.yaml`` rule file in ``directories`` (default: the national
    rules in ``src/canbo/rules``). Raises :class:`RuleFileError` listing every problem."""
    if directories is None:
        directories = [DEFAULT_RULES_DIR]
    elif isinstance(directories, (str, Path)):
        directories = [directories]
    titles = load_titles(titles_file)
    rules = RuleSet(titles=titles)
    problems: list[RuleProblem] = []
    files = []
    for d in directories:
        d = Path(d)
        if not d.is_dir():
            problems.append(
                RuleProblem(str(d), 0, "Không tìm thấy thư mục quy tắc", "Rule directory not found")
            )
            continue
        files += sorted(d.glob("*.yaml"))
    if not files and not problems:
        problems.append(
            RuleProblem(", ".join(map(str, directories)), 0, "Không có tệp quy tắc nào", "No rule files")
        )
    for path in files:
        problems += _load_file(path, _display(path), titles, rules)
    if not problems:
        problems += _overlaps(rules)
    if problems:
        raise RuleFileError(problems)
    return rules


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DEFAULT_RULES_DIR.parents[2]))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The national rule set, loaded once per process."""
    return load_rules()
