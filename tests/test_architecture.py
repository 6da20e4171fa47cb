"""Architecture rules of DESIGN.md, checked mechanically.

* Principle 1: the pure core ``canbo.core`` never imports Django, nor any
  canbo module outside the core (the adapters depend on the core, never the
  reverse).
* The other way round: a module of a Django app (an adapter) that imports neither Django nor
  another adapter module is pure code and belongs in the core (a short allow-list, each with its
  reason).
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
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {
                "import_module",
                "__import__",
            }
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
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
    assert [n for n in names if forbidden(n)] == [
        "django.db",
        "canbo.registry",
        "canbo.settings",
        "django.conf",
    ]


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
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == set(modules)
    offenders = {name: mods for name, mods in result.items() if mods}
    assert not offenders, (
        f"first core module to load Django or an adapter: {next(iter(offenders))}: {offenders}"
    )


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
        "Unit",
        "UnitLineage",
        "UnitClassification",
        "UnitAreaFlag",
        "UnitStatistics",
        "Title",
        "Person",
        "Assignment",
        "Qualification",
        "TrainingEnrolment",
        "Evaluation",
        "Inspection",
        "Discipline",
        "SuccessionEntry",
        "User",
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
    if model._meta.label == "access.FileAccess":
        pytest.skip("the log of reading personal data is append-only: each row is itself the record")
    if model._meta.label == "jobs.Job":
        pytest.skip("a job is itself the record of a request; its progress changes every second")
    assert hasattr(model, "history"), f"{model._meta.label} has no change history"
    historical = model.history.model
    assert is_historical(historical)
    assert historical._meta.get_field("history_user") is not None
    assert historical._meta.get_field("history_date") is not None


@pytest.mark.parametrize("model", canbo_models(), ids=lambda m: m._meta.label)
def test_every_record_has_a_scope_path(model):
    path = getattr(model, "scope_path", None)
    # A token of the API belongs to its user, not to a unit: only its owner lists and revokes it.
    if model._meta.label in {"registry.Title", "training.Course", "access.User", "access.ApiToken"}:
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


# --------------------------------------------------------------------------- adapters

SRC_DIR = CORE_DIR.parent
ADAPTER_FILES = sorted(
    p
    for p in SRC_DIR.rglob("*.py")
    if not p.is_relative_to(CORE_DIR) and "migrations" not in p.relative_to(SRC_DIR).parts
)

#: Adapter modules allowed to import no Django, each with its reason. Everything else outside the
#: core that imports neither Django nor another adapter module is pure code: it belongs in the core.
PURE_ADAPTERS_ALLOWED: dict[str, str] = {
    "__init__.py": "the project package: only the version number",
    "settings.py": "Django's settings module: plain values read by Django, by design without imports of it",
    "formats/vi/formats.py": "a Django format module (FORMAT_MODULE_PATH): plain values read by Django",
    "common/secret.py": "where settings.py finds the secret key: read before Django is configured",
}


def adapter_module_name(path: Path) -> str:
    parts = ("canbo", *path.relative_to(SRC_DIR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def adapter_imports(path: Path, source: str | None = None) -> list[str]:
    """Absolute names of the modules ``path`` imports, relative imports resolved."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    package = adapter_module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
                found.extend([target] if node.module else [f"{target}.{a.name}" for a in node.names])
            else:
                found.append(node.module or "")
    return found


def depends_on_django(names: list[str]) -> bool:
    """Django itself, or another adapter module (which does)."""
    return any(
        n == "django"
        or n.startswith("django.")
        or (n.startswith("canbo.") and not n.startswith(("canbo.core", "canbo.data")))
        for n in names
    )


def has_code(source: str) -> bool:
    """More than a docstring."""
    body = ast.parse(source).body
    return any(not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in body)


@pytest.mark.parametrize("path", ADAPTER_FILES, ids=lambda p: str(p.relative_to(SRC_DIR)))
def test_adapter_modules_use_django_or_belong_in_the_core(path):
    """Principle 1 the other way round: pure code living in a Django app moves into the core."""
    relative = path.relative_to(SRC_DIR).as_posix()
    source = path.read_text(encoding="utf-8")
    if relative in PURE_ADAPTERS_ALLOWED or not has_code(source):
        return
    assert depends_on_django(adapter_imports(path, source)), (
        f"{relative} imports neither Django nor an adapter module: pure code belongs in canbo.core "
        f"(or add it to PURE_ADAPTERS_ALLOWED with the reason)"
    )


def test_the_adapter_checker_catches_pure_code():
    src = SRC_DIR / "standards" / "fake.py"
    assert not depends_on_django(adapter_imports(src, "import json\nfrom canbo.core.text import fold\n"))
    assert depends_on_django(adapter_imports(src, "from .snapshot import load_snapshot\n"))
    assert depends_on_django(adapter_imports(src, "from . import services\n"))
    assert depends_on_django(adapter_imports(src, "def f():\n    from django.db import connection\n"))
    assert has_code("import json\n") and not has_code('"""Only a docstring."""\n')


def test_the_allow_list_names_real_files_with_reasons():
    for relative, reason in PURE_ADAPTERS_ALLOWED.items():
        assert (SRC_DIR / relative).exists(), relative
        assert len(reason.split()) >= 4
