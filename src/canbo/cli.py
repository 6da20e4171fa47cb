"""The ``canbo`` command, the one entry point.

``canbo demo`` starts the demonstration on the embedded SQLite database;
``canbo generate``, ``canbo serve`` and every Django management command
(``canbo migrate``, ``canbo createsuperuser`` …) are available too, each with
``--help``. ``canbo help`` lists them all.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    from django.core.management import execute_from_command_line

    argv = ["canbo", *sys.argv[1:]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
