"""Architecture rules of DESIGN.md, checked mechanically.

* Principle 1: the pure core ``canbo.core`` never imports Django, nor any
  canbo module outside the core (the adapters depend on the core, never the
  reverse).
* Conventions: every model has a docstring saying what it represents; every
  record keeps its history (principle 6); every record but the national title
  catalogue and the accounts has a scope path (issue 2 §3).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

import canbo.core

CORE_DIR = Path(canbo.core.__file__).parent
CORE_FILES = sorted(CORE_DIR.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = ("canbo", "core", *path.relative_to(CORE_DIR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path`` (or in
    ``source`` as if it were ``path``), relative ones resolved."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "canbo":  # "from canbo import settings" imports canbo.settings
                found.extend((node.lineno, f"canbo.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in {
            "import_module",
            "__import__",
        }:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def forbidden(name: str) -> bool:
    if name == "django" or name.startswith("django."):
        return True
    if name == "canbo" or name.startswith("canbo."):
        return not (name == "canbo.core" or name.startswith("canbo.core.") or name == "canbo.data")
    return False


def test_the_core_has_modules():
    assert len(CORE_FILES) >= 5
    assert {"identity.py", "scales.py"} <= {p.name for p in CORE_FILES}


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE_DIR)))
def test_core_source_imports_neither_django_nor_adapters(path):
    bad = [f"{path.name}:{line} imports {name}" for line, name in imported_modules(path) if forbidden(name)]
    assert not bad, bad


def test_the_import_checker_catches_what_it_should():
    """The checker itself: a core module importing Django or an adapter is caught."""
    source = (
        "import django.db\n"
        "from ...registry import models\n"
        "from canbo import settings\n"
        "from . import sibling\n"
        "from canbo.core import scales\n"
        "import importlib\n"
        "importlib.import_module('django.conf')\n"
    )
    names = [n for _, n in imported_modules(CORE_DIR / "planning" / "fake.py", source)]
    assert [n for n in names if forbidden(n)] == ["django.db", "canbo.registry", "canbo.settings", "django.conf"]


def test_importing_each_core_module_loads_no_django():
    """Import the core modules one by one in a fresh interpreter (no Django
    settings) and report the first one that pulls Django in."""
    modules = sorted({module_name(p) for p in CORE_FILES})
    script = (
        "import importlib, json, sys\n"
        "result = {}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    result[name] = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('canbo.') and not m.startswith(('canbo.core', 'canbo.data'))))\n"
        "print(json.dumps(result))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == set(modules)
    offenders = {name: mods for name, mods in result.items() if mods}
    assert not offenders, f"first core module to load Django or an adapter: {next(iter(offenders))}: {offenders}"


# --------------------------------------------------------------------------- models


def canbo_models(include_historical: bool = False):
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("canbo."):
            continue
        for model in config.get_models():
            if is_historical(model) and not include_historical:
                continue
            found.append(model)
    return found


def is_historical(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_object")


def test_the_canbo_apps_have_their_models():
    names = {m.__name__ for m in canbo_models()}
    assert {
        "Unit", "UnitLineage", "UnitClassification", "UnitAreaFlag", "UnitStatistics", "Title", "Person",
        "Assignment", "Qualification", "TrainingEnrolment", "Evaluation", "Inspection", "Discipline",
        "SuccessionEntry", "User",
    } <= names
    historical = {m.__name__ for m in canbo_models(include_historical=True)} - names
    assert "HistoricalPerson" in historical


@pytest.mark.parametrize("model", canbo_models(), ids=lambda m: m._meta.label)
def test_every_model_has_a_docstring(model):
    doc = model.__doc__ or ""
    # Django writes "Name(field, field, …)" into models that have no docstring of their own.
    generated = doc.startswith(f"{model.__name__}(")
    assert doc.strip() and not generated and "__doc__" in vars(model), f"{model._meta.label} has no docstring"
    assert len(doc.split()) >= 5


@pytest.mark.parametrize("model", canbo_models(), ids=lambda m: m._meta.label)
def test_every_model_keeps_its_history(model):
    assert hasattr(model, "history"), f"{model._meta.label} has no change history"
    historical = model.history.model
    assert is_historical(historical)
    assert historical._meta.get_field("history_user") is not None
    assert historical._meta.get_field("history_date") is not None


@pytest.mark.parametrize("model", canbo_models(), ids=lambda m: m._meta.label)
def test_every_record_has_a_scope_path(model):
    path = getattr(model, "scope_path", None)
    if model._meta.label in {"registry.Title", "access.User"}:
        assert path is None
        return
    assert path, f"{model._meta.label} has no scope_path"
    if path == "pk":
        assert model._meta.label == "registry.Unit"
        return
    # The path must be a real lookup that ends at a Unit.
    from canbo.registry.models import Unit

    current = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        current = field.related_model
    assert current is Unit, f"{model._meta.label}.scope_path {path!r} ends at {current}"


@pytest.mark.parametrize("model", canbo_models(), ids=lambda m: m._meta.label)
def test_every_model_has_a_vietnamese_name(model):
    from django.utils import translation

    with translation.override("vi"):
        name = str(model._meta.verbose_name)
    assert name and name != model.__name__.lower()
