"""The system does not start on broken rule files (docs/rules.md; DESIGN.md principle 3).

``canbo.standards`` loads the national rules in its ``ready()``; a broken file — an unknown key,
a malformed date, overlapping validity, an unknown level, a missing reference — stops the
``canbo`` command and the WSGI application with every problem's file, line and message.
Each case runs in a fresh interpreter with ``CANBO_RULES_DIRS`` pointing at a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from canbo.standards import rules_cache

VALID = textwrap.dedent("""\
    instrument:
      code: nd-test
      name_vi: "Nghị định thử"
      name_en: "Test decree"
      short_vi: "NĐ thử"
      issued: 2023-06-10
      in_force: 2023-08-01
      source: "tests"
    standards:
      - id: nd-test.prof
        titles: [TP_HT]
        criterion: professional
        minimum: university
        valid_from: 2023-08-01
        valid_to: 2025-06-30
        reference: {article: 10, clause: 1}
        message: {vi: "Đại học trở lên", en: "University or higher"}
    """)

OVERLAPPING = VALID + (
    "  - id: nd-test.prof-2024\n"
    "    titles: [TP_HT]\n"
    "    criterion: professional\n"
    "    minimum: college\n"
    "    valid_from: 2024-01-01\n"
    "    reference: {article: 11}\n"
    '    message: {vi: "Cao đẳng trở lên", en: "College or higher"}\n'
)

#: (case, file text, line, words of the problem that must be printed)
BROKEN = [
    (
        "unknown-key",
        VALID.replace("    criterion: professional\n", "    criterion: professional\n    minimun: x\n"),
        13,
        ["Khóa không hợp lệ", "minimun"],
    ),
    (
        "malformed-date",
        VALID.replace("valid_from: 2023-08-01", "valid_from: 2023-13-01"),
        14,
        ["Ngày không hợp lệ", "2023-13-01"],
    ),
    ("overlapping-validity", OVERLAPPING, 18, ["chồng lấn", "nd-test.prof-2024", "nd-test.prof"]),
    (
        "unknown-level",
        VALID.replace("minimum: university", "minimum: universty"),
        13,
        ["universty", "không tồn tại"],
    ),
    (
        "missing-reference",
        VALID.replace("    reference: {article: 10, clause: 1}\n", ""),
        10,
        ["Thiếu khóa bắt buộc", "reference"],
    ),
]


def run(args: list[str], rules_dir, home) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CANBO_RULES_DIRS": str(rules_dir),
        "CANBO_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, cwd=home
    )


def write_rules(tmp_path, text):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "nd-test.yaml").write_text(text, encoding="utf-8")
    return rules


def test_a_valid_rule_folder_starts(tmp_path):
    done = run(["-m", "canbo.cli", "check", "--help"], write_rules(tmp_path, VALID), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout.lower()


@pytest.mark.parametrize(("case", "text", "line", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_canbo_refuses_to_start_on_a_broken_rule_file(tmp_path, case, text, line, words):
    done = run(["-m", "canbo.cli", "check", "--help"], write_rules(tmp_path, text), tmp_path)
    assert done.returncode != 0
    err = done.stderr
    assert f"nd-test.yaml:{line}:" in err, err
    for w in words:
        assert w in err, (w, err)
    assert "Traceback" not in err  # a message, not a stack trace
    assert "usage" not in done.stdout.lower()


@pytest.mark.parametrize(("case", "text", "line", "words"), BROKEN[:2], ids=[b[0] for b in BROKEN[:2]])
def test_the_web_application_refuses_to_start_too(tmp_path, case, text, line, words):
    """The WSGI entry point (the server) sets Django up the same way and stops."""
    done = run(["-c", "import canbo.wsgi"], write_rules(tmp_path, text), tmp_path)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert f"nd-test.yaml:{line}:" in done.stderr
    assert words[0] in done.stderr


def test_a_missing_rule_folder_is_refused(tmp_path):
    done = run(["-m", "canbo.cli", "check", "--help"], tmp_path / "khong-co", tmp_path)
    assert done.returncode != 0
    assert "Không tìm thấy thư mục quy tắc" in done.stderr


def test_national_rules_are_loaded_once_per_folder(tmp_path):
    first = rules_cache.national_rules()
    assert rules_cache.national_rules() is first
    assert first.standards
    with override_settings(CANBO_RULES_DIRS=[write_rules(tmp_path, VALID)]):
        mine = rules_cache.national_rules()
        assert [s.id for s in mine.standards] == ["nd-test.prof"]
        assert rules_cache.national_rules() is mine
    assert rules_cache.national_rules() is first


def test_national_rules_raise_improperly_configured(tmp_path):
    broken = write_rules(tmp_path, BROKEN[0][1])
    with override_settings(CANBO_RULES_DIRS=[broken]), pytest.raises(ImproperlyConfigured) as caught:
        rules_cache.national_rules()
    assert "nd-test.yaml:13:" in str(caught.value)
