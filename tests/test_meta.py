"""Tests of the tests: a test that cannot fail is a defect (issue 9, item 9).

Every test function must check something: an ``assert``, ``pytest.raises`` / ``pytest.warns`` /
``pytest.fail``, Playwright's ``expect(...)``, an ``assert_*`` method, or a call to a helper that
itself checks (found by name across the test tree, transitively). A test that only runs code and
passes unless it raises is flagged here; give it a real assertion or remove it.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent

CHECKING_ATTRS = {"raises", "warns", "fail", "deprecated_call"}
CHECKING_NAMES = {"expect", "fail"}


def _called_name(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


def _checks_directly(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Raise):  # a helper that raises AssertionError / pytest.fail
            return True
        if isinstance(node, ast.Call):
            f = node.func
            name = _called_name(node)
            if (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id == "pytest"
                and f.attr in CHECKING_ATTRS
            ):
                return True
            if name in CHECKING_NAMES or (name or "").startswith("assert"):
                return True
    return False


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _is_fixture(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if (isinstance(target, ast.Attribute) and target.attr == "fixture") or (
            isinstance(target, ast.Name) and target.id == "fixture"
        ):
            return True
    return False


def _calls(fn: ast.AST) -> set[str]:
    return {n for node in ast.walk(fn) if isinstance(node, ast.Call) and (n := _called_name(node))}


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in sorted(TESTS.rglob("*.py"))}


def checking_helpers(trees) -> set[str]:
    """Names of the functions in the test tree that check something, directly or through another."""
    calls: dict[str, set[str]] = {}
    checking: set[str] = set()
    for tree in trees.values():
        for fn in _functions(tree):
            calls.setdefault(fn.name, set()).update(_calls(fn))
            if _checks_directly(fn):
                checking.add(fn.name)
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in checking and called & checking:
                checking.add(name)
                changed = True
    return checking


def unchecked_tests(trees) -> list[str]:
    checking = checking_helpers(trees)
    found = []
    for path, tree in trees.items():
        if not path.name.startswith("test_"):
            continue
        for fn in _functions(tree):
            if _is_fixture(fn):
                continue
            if fn.name.startswith("test_") and not _checks_directly(fn) and not (_calls(fn) & checking):
                found.append(f"{path.relative_to(TESTS)}:{fn.lineno} {fn.name}")
    return found


def test_every_test_checks_something():
    assert unchecked_tests(_trees()) == []


def test_the_meta_test_flags_a_test_without_a_check():
    source = """
def helper(x):
    assert x

def runs(x):
    return x + 1

def test_asserts():
    assert runs(1) == 2

def test_through_a_helper():
    helper(runs(1))

def test_raises():
    import pytest
    with pytest.raises(ZeroDivisionError):
        1 / 0

def test_only_runs_code():
    runs(1)
"""
    trees = {TESTS / "test_example.py": ast.parse(source)}
    assert unchecked_tests(trees) == ["test_example.py:19 test_only_runs_code"]
