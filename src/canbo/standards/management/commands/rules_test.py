"""``canbo rules test [THƯ_MỤC] [--draft] [--cases THƯ_MỤC]``: run the legal test cases
(``src/canbo/rules/cases``, docs/rules.md) against a rule directory and print each case's
result; the exit status is 1 when a case fails.

    canbo rules test                                   # the national rules, the national cases
    canbo rules test du-thao/ --draft                  # a draft applied over the national rules
    canbo rules test quy-tac/ --cases tinh-huong/      # a whole rule set, its own cases

Without ``--draft`` the directory is a whole rule set (like ``src/canbo/rules``); with it, the
directory's entries take over from the national rules from their first day, as ``canbo
standards check --rules`` does. The cases are ``--cases``, else the directory's ``cases/``
folder, else the national cases.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canbo.core.formatting import tr
from canbo.core.standards.cases import CASES_DIR, load_cases, run_case
from canbo.core.standards.rules import RuleFileError, load_rules
from canbo.standards import services


class Command(BaseCommand):
    help = (
        "Chạy các tình huống pháp lý với một bộ quy tắc (mặc định: quy định quốc gia) hoặc một dự thảo (--draft); "
        "in đạt/không đạt từng tình huống. "
        "Run the legal cases against a rule directory (or a draft over the national rules); pass/fail per case."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            metavar="THƯ_MỤC",
            help="Thư mục quy tắc (mặc định: quy định quốc gia). Rule directory (default: national).",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Áp dụng thư mục như một dự thảo lên quy định quốc gia. "
            "Apply the directory as a draft over the national rules.",
        )
        parser.add_argument(
            "--cases",
            metavar="THƯ_MỤC",
            help="Thư mục tình huống (mặc định: THƯ_MỤC/cases nếu có, không thì của quốc gia). "
            "Case directory (default: DIR/cases if present, else the national cases).",
        )
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ / language (vi, en)."
        )

    def handle(self, *args, directory, draft, cases, lang, **options):
        if draft and not directory:
            raise CommandError(tr(lang, "--draft cần THƯ_MỤC dự thảo.", "--draft needs a draft DIRECTORY."))
        try:
            if directory is None:
                rules = services.national_rules()
            elif draft:
                rules = services.national_rules().with_draft(load_rules(Path(directory)))
            else:
                rules = load_rules(Path(directory))
        except RuleFileError as e:
            raise CommandError(
                tr(lang, "Quy tắc không hợp lệ:\n", "The rules are invalid:\n") + str(e)
            ) from e

        if cases:
            case_dir = Path(cases)
        elif directory and (Path(directory) / "cases").is_dir():
            case_dir = Path(directory) / "cases"
        else:
            case_dir = CASES_DIR
        if not case_dir.is_dir():
            raise CommandError(
                tr(
                    lang,
                    f"Không tìm thấy thư mục tình huống «{case_dir}».",
                    f"No case directory «{case_dir}».",
                )
            )
        found = load_cases(case_dir)
        if not found:
            raise CommandError(
                tr(
                    lang,
                    f"Thư mục «{case_dir}» không có tình huống nào (*.yaml).",
                    f"The directory «{case_dir}» holds no cases (*.yaml).",
                )
            )

        failed = 0
        for case in found:
            try:
                problems = run_case(case, rules)
            except Exception as e:  # noqa: BLE001 — a malformed case is a failure of that case, not of the run
                problems = [f"{type(e).__name__}: {e}"]
            if problems:
                failed += 1
                self.stdout.write(f"{tr(lang, 'KHÔNG ĐẠT', 'FAIL')}  {case}: " + "; ".join(problems))
            else:
                self.stdout.write(f"{tr(lang, 'ĐẠT', 'PASS')}  {case}")
        total = len(found)
        summary = tr(
            lang,
            f"{total - failed}/{total} tình huống đạt, {failed} không đạt ({case_dir}).",
            f"{total - failed}/{total} cases passed, {failed} failed ({case_dir}).",
        )
        if failed:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
