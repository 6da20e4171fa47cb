"""The ``canbo`` command line (``canbo.cli``): canbo's commands in one registry, ``canbo check``
is Django's system check again, the old names still work for a release with a deprecation
notice on stderr, and ``canbo rules test`` runs the legal cases against a rule directory.

Most tests run the real ``canbo`` program in a subprocess (no database needed); the alias that
does real work on the database runs ``canbo.cli.main`` in-process on the test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from standards_fixtures import DRAFT_RULES, standards_world, write_rules  # noqa: F401  (fixture)

from canbo import cli
from canbo.core.standards.cases import CASES_DIR, load_cases

DEPRECATED = "Deprecated"


def canbo(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the installed ``canbo`` program (``python -m canbo.cli`` if the script is absent)."""
    script = Path(sys.executable).parent / "canbo"
    program = [str(script)] if script.exists() else [sys.executable, "-m", "canbo.cli"]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CANBO_RULES_DIRS"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", CANBO_HOME=str(tmp_path))
    return subprocess.run(
        [*program, *args], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path, check=False
    )


# --------------------------------------------------------------------------- the registry


def test_the_old_and_new_names_resolve_to_the_management_commands():
    assert cli.resolve(["standards", "check", "--unit", "20"]) == (["standards_check", "--unit", "20"], None)
    assert cli.resolve(["standards", "staffing", "--unit", "20"]) == (
        ["standards_staffing", "--unit", "20"],
        None,
    )
    assert cli.resolve(["rules", "test", "du-thao", "--draft"]) == (
        ["rules_test", "du-thao", "--draft"],
        None,
    )
    # canbo check is Django's check unless it is given a unit.
    assert cli.resolve(["check", "--deploy"]) == (["check", "--deploy"], None)
    argv, notice = cli.resolve(["check", "--unit=20"])
    assert argv == ["standards_check", "--unit=20"]
    assert "canbo standards check" in notice and DEPRECATED in notice
    argv, notice = cli.resolve(["staffing", "--unit", "20"])
    assert argv == ["standards_staffing", "--unit", "20"] and "canbo standards staffing" in notice
    argv, notice = cli.resolve(["systemcheck"])
    assert argv == ["check"] and "`canbo check`" in notice
    assert cli.resolve(["help", "standards", "check"]) == (["help", "standards_check"], None)
    assert cli.resolve(["migrate", "--plan"]) == (["migrate", "--plan"], None)


def test_every_registered_command_is_a_management_command():
    from django.core.management import get_commands

    known = set(get_commands())
    assert {c.target for c in cli.COMMANDS} | {a.target for a in cli.ALIASES} <= known
    # The standards check no longer takes Django's name.
    assert get_commands()["check"] == "django.core"


# --------------------------------------------------------------------------- real runs


def test_canbo_check_is_djangos_system_check(tmp_path):
    done = canbo("check", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert DEPRECATED not in done.stderr


def test_the_old_names_work_with_a_deprecation_notice(tmp_path):
    done = canbo("systemcheck", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "`canbo check`" in done.stderr and DEPRECATED in done.stderr
    done = canbo("staffing", "--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--unit" in done.stdout and "canbo standards staffing" in done.stderr
    done = canbo("standards", "check", "--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--status" in done.stdout and DEPRECATED not in done.stderr


def test_canbo_help_lists_canbos_commands_then_djangos(tmp_path):
    done = canbo("help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("canbo standards check", "canbo standards staffing", "canbo rules test", "canbo import"):
        assert name in done.stdout
    assert "migrate" in done.stdout.split("canbo rules test", 1)[1]


def test_rules_test_passes_every_national_case(tmp_path):
    done = canbo("rules", "test", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith(("ĐẠT", "KHÔNG ĐẠT"))]
    n = len(load_cases(CASES_DIR))
    assert n >= 80 and len(lines) == n
    assert all(line.startswith("ĐẠT  ") for line in lines)
    assert f"{n}/{n} tình huống đạt, 0 không đạt" in done.stdout


#: Two cases for a justice officer with a law degree in mid-2025: under the national rules
#: (NĐ 33/2023) they meet the standard; under the test draft (a master's from 1/1/2025) not.
DRAFT_CASES = textwrap.dedent("""\
    - name: "Đại học luật, theo dự thảo: chưa đạt"
      reference: "Dự thảo 2025, Điều 1"
      date: 2025-06-30
      unit: {kind: commune, class: class_1, flags: [], created: 1999-01-01}
      person: {birth_date: 1992-02-20, sex: female}
      post: {title: TP_HT, start: 2018-07-01, start_reason: recruited}
      qualifications:
        - {dimension: professional, level: university, field: law, obtained_on: 2014-06-30}
      expect:
        professional: unmet
    - name: "Đại học luật, ngày trước dự thảo: đạt"
      reference: "NĐ 33/2023 Đ.10 k.1 đ.c"
      date: 2024-12-31
      unit: {kind: commune, class: class_1, flags: [], created: 1999-01-01}
      person: {birth_date: 1992-02-20, sex: female}
      post: {title: TP_HT, start: 2018-07-01, start_reason: recruited}
      qualifications:
        - {dimension: professional, level: university, field: law, obtained_on: 2014-06-30}
      expect:
        professional: met
    """)


def test_rules_test_runs_cases_against_a_draft(tmp_path):
    draft = write_rules(tmp_path / "draft", "draft-2025", DRAFT_RULES)
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "draft.yaml").write_text(DRAFT_CASES, encoding="utf-8")
    done = canbo("rules", "test", str(draft), "--draft", "--cases", str(cases), tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ĐẠT  draft.yaml:1 Đại học luật, theo dự thảo: chưa đạt" in done.stdout
    assert "2/2 tình huống đạt" in done.stdout

    # Without the draft the national rules answer "met" on 30/6/2025: that case fails, exit 1.
    done = canbo("rules", "test", "--cases", str(cases), "--lang", "en", tmp_path=tmp_path)
    assert done.returncode == 1
    assert (
        "FAIL  draft.yaml:1 Đại học luật, theo dự thảo: chưa đạt: professional: expected unmet, got met"
        in done.stdout
    )
    assert "PASS  draft.yaml:11 Đại học luật, ngày trước dự thảo: đạt" in done.stdout
    assert "1/2 cases passed, 1 failed" in done.stderr


def test_rules_test_reports_a_broken_draft(tmp_path):
    broken = write_rules(
        tmp_path / "broken", "draft-2025", DRAFT_RULES.replace("minimum: master", "minimum: mastr")
    )
    done = canbo("rules", "test", str(broken), "--draft", tmp_path=tmp_path)
    assert done.returncode != 0
    assert "draft-2025.yaml:11:" in done.stderr and "mastr" in done.stderr and "Traceback" not in done.stderr


def test_canbo_check_with_a_unit_is_the_standards_check_with_a_notice(standards_world, monkeypatch, capsys):
    # (main → run_from_argv closes the database connections when it ends: nothing may follow it here.)
    monkeypatch.setattr(
        sys, "argv", ["canbo", "check", "--unit", "99901", "--date", "2024-12-31", "--format", "json"]
    )
    cli.main()
    out, err = capsys.readouterr()
    assert "canbo standards check" in err and DEPRECATED in err
    doc = json.loads(out)
    assert doc["command"] == "check" and doc["unit"]["code"] == "99901"
    assert {f["person_name"] for f in doc["findings"]} >= {"Trần Thị Bình"}


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
