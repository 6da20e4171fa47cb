"""YAML with line numbers: the reader the rule loader parses rule files with.

:class:`_Loader` is PyYAML's safe loader without implicit timestamps (dates are parsed by the
loader itself, so a malformed one is reported rather than silently read), where every mapping
is a :class:`_Map` that remembers its own line and the line of each key, and where a duplicate
key is an error (:class:`_DuplicateKey`). :class:`_File` is the parsing context of one rule file:
typed accessors (keys, dates, text, integers, codes) that record each problem with its line
instead of stopping at the first, so that every problem of a file is reported at once with its
file and line (``docs/rules.md``: "The files are validated when they are loaded").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from .model import RuleProblem


class _Map(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    lines: dict


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps (we parse dates ourselves, to report bad ones)
    and with line numbers on mappings; duplicate keys are errors."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    m = _Map()
    m.line = node.start_mark.line + 1
    m.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in m:
            raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
        m[key] = loader.construct_object(value_node, deep=True)
        m.lines[key] = key_node.start_mark.line + 1
    return m


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


class _File:
    """Parsing context of one file: collects problems with their lines."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.name = display
        self.problems: list[RuleProblem] = []

    def problem(self, line: int, vi: str, en: str) -> None:
        self.problems.append(RuleProblem(self.name, line, vi, en))

    def line_of(self, m: _Map, key: str) -> int:
        return m.lines.get(key, m.line) if isinstance(m, _Map) else 0

    def keys(
        self, m: Any, where: str, required: Iterable[str], optional: Iterable[str], line: int = 0
    ) -> TypeGuard[_Map]:
        """Is ``m`` a mapping with the required keys and no others? Reports what is not."""
        if not isinstance(m, _Map):
            self.problem(line, f"'{where}' phải là một bảng khóa–giá trị", f"'{where}' must be a mapping")
            return False
        required, optional = set(required), set(optional)
        ok = True
        for k in m:
            if k not in required | optional:
                self.problem(
                    m.lines[k], f"Khóa không hợp lệ '{k}' trong {where}", f"Unknown key '{k}' in {where}"
                )
                ok = False
        for k in sorted(required - set(m)):
            self.problem(
                m.line, f"Thiếu khóa bắt buộc '{k}' trong {where}", f"Missing required key '{k}' in {where}"
            )
            ok = False
        return ok

    def date(self, m: _Map, key: str, required: bool = True) -> date | None:
        value = m.get(key)
        if value is None:
            if required:
                self.problem(m.line, f"Thiếu ngày '{key}'", f"Missing date '{key}'")
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problem(
                self.line_of(m, key),
                f"Ngày không hợp lệ '{value}' ở '{key}' (cần dạng YYYY-MM-DD)",
                f"Malformed date '{value}' in '{key}' (expected YYYY-MM-DD)",
            )
            return None

    def text(self, m: _Map, key: str, where: str) -> str:
        value = m.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(
                self.line_of(m, key),
                f"'{key}' của {where} phải là chuỗi không rỗng",
                f"'{key}' of {where} must be a non-empty string",
            )
            return ""
        return value.strip()

    def integer(self, m: _Map, key: str, minimum: int = 0) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(
                self.line_of(m, key),
                f"'{key}' phải là số nguyên ≥ {minimum}, không phải '{value}'",
                f"'{key}' must be an integer ≥ {minimum}, not '{value}'",
            )
            return None
        return value

    def codes(self, m: _Map, key: str, allowed: Iterable[str], what_vi: str, what_en: str) -> frozenset[str]:
        value = m.get(key)
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                self.line_of(m, key), f"'{key}' phải là danh sách mã", f"'{key}' must be a list of codes"
            )
            return frozenset()
        allowed = set(allowed)
        for v in value:
            if v not in allowed:
                self.problem(
                    self.line_of(m, key),
                    f"{what_vi} không tồn tại: '{v}' (ở '{key}')",
                    f"Unknown {what_en}: '{v}' (in '{key}')",
                )
        return frozenset(v for v in value if v in allowed)
