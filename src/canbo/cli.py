"""The ``canbo`` command, the one entry point — and the one list of its commands.

:data:`COMMANDS` is the registry of canbo's own commands: the words typed after ``canbo``
(``canbo standards check``, ``canbo rules test`` …), the Django management command that does
the work, and a line of help. Every other word is a Django management command (``canbo
migrate``, ``canbo createsuperuser``, ``canbo check`` — Django's system check …), each with
``--help``; ``canbo help`` lists canbo's commands, then all of Django's.

Old names kept for one release (:data:`ALIASES`) still work and print a deprecation notice on
stderr: ``canbo check --unit …`` (now ``canbo standards check``; ``canbo check`` without
``--unit`` is Django's own check again), ``canbo staffing`` (now ``canbo standards staffing``)
and ``canbo systemcheck`` (now ``canbo check``).

Broken rule files stop every command (docs/rules.md): the problems are printed, each with its
file and line, and the command exits with status 2 — no traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One canbo command: the words typed after ``canbo``, the management command run, its help."""

    words: tuple[str, ...]
    target: str
    help_vi: str
    help_en: str

    @property
    def name(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Alias:
    """An old name kept for a release: used when ``applies`` to the arguments after it."""

    words: tuple[str, ...]
    target: str
    instead: str
    applies: Callable[[Sequence[str]], bool] = lambda rest: True


#: canbo's own commands (Django's are listed by ``canbo help`` after these).
COMMANDS: tuple[Command, ...] = (
    Command(("demo",), "demo", "bản trình diễn trên cơ sở dữ liệu SQLite kèm theo", "the demonstration"),
    Command(("serve",), "serve", "chạy máy chủ trên mạng nội bộ", "run the server on the local network"),
    Command(("generate",), "generate", "sinh dữ liệu mô phỏng", "generate synthetic data"),
    Command(
        ("load_reference",),
        "load_reference",
        "nạp danh mục đơn vị hành chính và chức danh",
        "load the administrative units and the title catalogue",
    ),
    Command(
        ("standards", "check"),
        "standards_check",
        "đối chiếu người giữ chức vụ với tiêu chuẩn chức danh vào một ngày",
        "check everyone in post against the standards of their post on a date",
    ),
    Command(
        ("standards", "staffing"),
        "standards_staffing",
        "thừa, thiếu, yếu của từng xã, cộng lên huyện và tỉnh",
        "staffing (surplus, shortfall, below standard) per commune, with roll-ups",
    ),
    Command(
        ("rules", "test"),
        "rules_test",
        "chạy các tình huống pháp lý với một bộ quy tắc (kể cả dự thảo)",
        "run the legal cases against a rule directory (or a draft)",
    ),
    Command(
        ("plan", "training"),
        "plan_training",
        "lập kế hoạch đào tạo, bồi dưỡng nhiều năm trong giới hạn chỉ tiêu, kinh phí",
        "plan training over several years within seats and budget",
    ),
    Command(("import",), "import", "nhập danh sách Excel của xã", "import a commune's Excel list"),
    Command(
        ("report",),
        "report",
        "báo cáo số lượng, chất lượng; thừa, thiếu, yếu; diễn biến",
        "reports: quality, staffing, trend",
    ),
    Command(
        ("resume",),
        "resume",
        "in sơ yếu lý lịch (Mẫu 2C-BNV/2008) ra Word hoặc PDF",
        "print a person's résumé (form 2C) as Word or PDF",
    ),
    Command(
        ("check",), "check", "kiểm tra cấu hình hệ thống (lệnh check của Django)", "Django's system check"
    ),
    Command(
        ("worker",),
        "worker",
        "chạy các công việc nền (nhập danh sách lớn, báo cáo cấp tỉnh)",
        "run the background jobs (large imports, province reports)",
    ),
    Command(
        ("backup",),
        "backup",
        "sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp",
        "back up the database and the uploaded files into one archive",
    ),
    Command(
        ("restore",),
        "restore",
        "khôi phục một bản sao lưu (kiểm tra toàn bộ trước khi thay)",
        "restore a backup (verified before anything is replaced)",
    ),
)


def _has_unit(rest: Sequence[str]) -> bool:
    return any(a == "--unit" or a.startswith("--unit=") for a in rest)


#: Old names, kept for one release.
ALIASES: tuple[Alias, ...] = (
    Alias(("check",), "standards_check", "canbo standards check", _has_unit),
    Alias(("staffing",), "standards_staffing", "canbo standards staffing"),
    Alias(("systemcheck",), "check", "canbo check"),
)


def deprecation_notice(old: str, new: str) -> str:
    return (
        f"Lưu ý: lệnh «canbo {old}» sẽ bị bỏ ở phiên bản sau; hãy dùng «{new}». "
        f"/ Deprecated: `canbo {old}` will be removed in a later release; use `{new}`."
    )


def resolve(args: Sequence[str]) -> tuple[list[str], str | None]:
    """The management command line for ``canbo args`` and the deprecation notice, if any."""
    args = list(args)
    for alias in ALIASES:
        n = len(alias.words)
        if tuple(args[:n]) == alias.words and alias.applies(args[n:]):
            return [alias.target, *args[n:]], deprecation_notice(" ".join(alias.words), alias.instead)
    for command in sorted(COMMANDS, key=lambda c: -len(c.words)):
        n = len(command.words)
        if tuple(args[:n]) == command.words:
            return [command.target, *args[n:]], None
    if args[:1] == ["help"] and len(args) > 1:
        inner, notice = resolve(args[1:])
        return ["help", inner[0]], notice
    return args, None


def groups() -> set[str]:
    """The first words of the commands of more than one word (``standards``, ``rules``)."""
    return {c.words[0] for c in COMMANDS if len(c.words) > 1}


def listing() -> str:
    """canbo's commands, one a line."""
    width = max(len(c.name) for c in COMMANDS) + 2
    lines = ["Các lệnh của canbo / canbo's commands (canbo LỆNH --help):", ""]
    lines += [f"  canbo {c.name:<{width}}{c.help_vi} / {c.help_en}" for c in COMMANDS]
    return "\n".join(lines) + "\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    args = sys.argv[1:]
    if args[:1] in (["help"], ["--help"], ["-h"], []) and len(args) <= 1:
        sys.stdout.write(listing() + "\n")
    elif args[0] in groups() and (len(args) == 1 or args[1] in ("-h", "--help")):
        sys.stdout.write(listing())
        return
    argv, notice = resolve(args)
    if notice:
        print(notice, file=sys.stderr)

    from django.core.management import execute_from_command_line

    from canbo.standards.rules_cache import RulesImproperlyConfigured

    try:
        execute_from_command_line(["canbo", *argv])
    except RulesImproperlyConfigured as e:
        print(e, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
