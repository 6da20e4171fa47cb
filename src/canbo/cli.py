"""The ``canbo`` command, the one entry point.

``canbo demo`` starts the demonstration on the embedded SQLite database;
``canbo generate``, ``canbo serve`` and every Django management command
(``canbo migrate``, ``canbo createsuperuser`` …) are available too, each with
``--help``. ``canbo help`` lists them all.

Broken rule files stop every command (docs/rules.md): the problems are printed, each with its
file and line, and the command exits with status 2 — no traceback.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    from django.core.management import execute_from_command_line

    from canbo.standards.rules_cache import RulesImproperlyConfigured

    argv = ["canbo", *sys.argv[1:]]
    try:
        execute_from_command_line(argv)
    except RulesImproperlyConfigured as e:
        print(e, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
