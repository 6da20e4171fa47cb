"""``canbo plan training`` (issue 13 §7) on the small standards world (``standards_fixtures``):
the plan as JSON, table and xlsx, the needs left open with their reasons, and bad input refused
with exit status 2 and a message, never a traceback."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import ManagementUtility, call_command
from standards_fixtures import standards_world  # noqa: F401  (fixture)

from canbo import cli
from canbo.registry.models import Qualification

ARGS = ("--unit", "99901", "--date", "2024-12-01", "--start-year", "2025", "--years", "5")


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("plan_training", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_is_registered_as_canbo_plan_training():
    assert cli.resolve(["plan", "training", "--unit", "1"])[0] == ["plan_training", "--unit", "1"]


def test_json_plan_sends_the_person_lacking_a_degree_to_a_degree_course(standards_world):
    w = standards_world
    # no general-education record: a degree needs upper-secondary education first, and the chain
    # (3 years of remedial education, then 4 of university) does not fit in 5 years
    short = json.loads(run(*ARGS, "--format", "json"))
    assert short["plan"] == []
    assert {r["reason_codes"] for r in short["open_needs"] if r["person_id"] == w.people["binh"].pk} == {
        "horizon,prerequisite"
    }
    Qualification.objects.create(
        person=w.people["binh"], dimension="general_education", level="lower_secondary"
    )
    assert json.loads(run(*ARGS, "--format", "json"))["plan"] == []  # 3 + 4 years > 5
    doc = json.loads(run(*ARGS[:-1], "8", "--format", "json"))
    assert doc["command"] == "plan training" and doc["start_year"] == 2025
    assert doc["optimiser"]["status"] == "optimal" and doc["optimiser"]["gap"] == 0
    assert doc["greedy"]["status"] == "greedy"
    assert doc["optimiser"]["objective"] >= doc["greedy"]["objective"]
    binh = [
        (r["course"], r["year"], r["counts_from"])
        for r in doc["plan"]
        if r["person_id"] == w.people["binh"].pk
    ]
    assert binh[0] == ("BTVH-THPT", 2025, 2028)
    assert binh[1][0] == "DH-LUAT" and binh[1][1] >= 2028 and binh[1][2] == binh[1][1] + 4


def test_zero_budget_gives_a_plan_that_says_why(standards_world):
    doc = json.loads(run(*ARGS, "--budget", "0", "--format", "json"))
    assert doc["plan"] == [] and doc["optimiser"]["objective"] == 0
    assert doc["open_needs"]
    assert all("no_budget" in r["reason_codes"] for r in doc["open_needs"])
    assert "Không có kinh phí" in doc["open_needs"][0]["reasons"]


def test_table_and_xlsx(standards_world, tmp_path):
    text = run(*ARGS, "--degree-seats", "1")
    assert "Kế hoạch đào tạo, bồi dưỡng — Xã Một" in text
    assert "khoảng cách tối ưu" in text and "cách làm thủ công" in text
    path = tmp_path / "ke-hoach.xlsx"
    run(*ARGS, "--format", "xlsx", "--output", str(path))
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/worksheets/") for n in z.namelist())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--unit", "12345"), "«12345»"),
        (("--budget", "-5"), "Kinh phí không được âm"),
        (("--years", "0"), "Số năm"),
        (("--share", "1.5"), "Tỷ lệ"),
    ],
)
def test_bad_input_exits_2_with_a_message(standards_world, capsys, extra, message):
    args = list(ARGS)
    if extra[0] in args:
        i = args.index(extra[0])
        args[i + 1] = extra[1]
    else:
        args += list(extra)
    with pytest.raises(SystemExit) as e:
        ManagementUtility(["canbo", "plan_training", *args]).execute()
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
