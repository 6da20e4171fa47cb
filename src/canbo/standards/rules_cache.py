"""The national rule set of this process, loaded once.

The rule files are read from ``settings.CANBO_RULES_DIRS`` (environment variable
``CANBO_RULES_DIRS``, ``os.pathsep``-separated; default: ``src/canbo/rules``). Broken files stop
the start-up: :class:`~.apps.StandardsConfig` calls :func:`national_rules` in ``ready()``, and a
:class:`~canbo.core.standards.rules.RuleFileError` becomes :class:`RulesImproperlyConfigured`
carrying the loader's full text (``file:line: problem`` for every problem), so neither ``canbo``
nor the web server runs until the files are mended (docs/rules.md).
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from canbo.core.standards.rules import DEFAULT_RULES_DIR, RuleFileError, RuleSet, load_rules

__all__ = ["RulesImproperlyConfigured", "clear_cache", "generation", "national_rules", "rules_dirs"]

_lock = threading.Lock()
_cache: dict[tuple[str, ...], RuleSet] = {}
#: How many times rules were loaded in this process: a rule set read again gets a new number even
#: if it lands at the address of a forgotten one (the data stamp of the dashboard reads it).
_generation = 0


class RulesImproperlyConfigured(ImproperlyConfigured):
    """The national rule files are broken; the message lists every problem with file and line."""


def rules_dirs() -> list[Path]:
    """The directories the national rule files are read from."""
    dirs = getattr(settings, "CANBO_RULES_DIRS", None) or [DEFAULT_RULES_DIR]
    return [Path(d) for d in dirs]


def national_rules() -> RuleSet:
    """The national :class:`RuleSet`, validated, loaded once per process (per set of rule
    directories, so that a test overriding ``CANBO_RULES_DIRS`` gets its own rules)."""
    dirs = rules_dirs()
    key = tuple(str(d) for d in dirs)
    rules = _cache.get(key)
    if rules is None:
        with _lock:
            rules = _cache.get(key)
            if rules is None:
                try:
                    rules = load_rules(dirs)
                except RuleFileError as e:
                    raise RulesImproperlyConfigured(str(e)) from e
                global _generation
                _generation += 1
                _cache[key] = rules
    return rules


def generation() -> int:
    """The number of rule loads so far in this process (see :data:`_generation`)."""
    return _generation


def clear_cache() -> None:
    """Forget the loaded rules (the next call to :func:`national_rules` reads the files again)."""
    with _lock:
        _cache.clear()
