"""The rule-file loader refuses broken files with the file, the line and what is wrong
(issue "Standards as code", "Bad input"), and the national rule files load cleanly."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from canbo.core.standards.rules import RuleFileError, default_rules, load_rules

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


def write(tmp_path, text, name="nd-test.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path, text, name="nd-test.yaml"):
    with pytest.raises(RuleFileError) as err:
        load_rules(write(tmp_path, text, name))
    return err.value.problems, str(err.value)


def test_valid_file_loads(tmp_path):
    rules = load_rules(write(tmp_path, VALID))
    (s,) = rules.standards
    assert s.titles == ("TP_HT",) and s.minimum == "university"
    assert s.reference.render("vi") == "NĐ thử, Điều 10, khoản 1"
    assert s.in_force(date(2025, 6, 30)) and not s.in_force(date(2025, 7, 1))


def test_unknown_key_names_file_and_line(tmp_path):
    found, text = problems(
        tmp_path,
        VALID.replace("    criterion: professional\n", "    criterion: professional\n    minimun: x\n"),
    )
    (p,) = found
    assert p.file.endswith("nd-test.yaml") and p.line == 13
    assert "minimun" in p.message_vi and "nd-test.yaml:13" in text


def test_malformed_date(tmp_path):
    (p,) = problems(tmp_path, VALID.replace("valid_to: 2025-06-30", "valid_to: 2025-06-31"))[0]
    assert p.line == 15 and "2025-06-31" in p.message_vi


def test_period_ending_before_it_starts(tmp_path):
    (p,) = problems(tmp_path, VALID.replace("valid_to: 2025-06-30", "valid_to: 2020-06-30"))[0]
    assert "valid_to" in p.message_en


def test_unknown_level(tmp_path):
    (p,) = problems(tmp_path, VALID.replace("minimum: university", "minimum: bachelor_degree"))[0]
    assert p.line == 13 and "bachelor_degree" in p.message_vi


def test_unknown_title(tmp_path):
    (p,) = problems(tmp_path, VALID.replace("titles: [TP_HT]", "titles: [TP_HTX]"))[0]
    assert "TP_HTX" in p.message_vi


def test_missing_reference(tmp_path):
    (p,) = problems(tmp_path, VALID.replace("    reference: {article: 10, clause: 1}\n", ""))[0]
    assert p.line == 10 and "reference" in p.message_en.lower()


def test_reference_without_article(tmp_path):
    found, _ = problems(tmp_path, VALID.replace("{article: 10, clause: 1}", "{clause: 1}"))
    assert any("article" in p.message_en for p in found)


def test_missing_english_message(tmp_path):
    found, _ = problems(tmp_path, VALID.replace(', en: "University or higher"', ""))
    assert any("en" in p.message_en for p in found)


def test_overlapping_validity_across_files(tmp_path):
    other = (
        VALID.replace("code: nd-test", "code: nd-test2")
        .replace("id: nd-test.prof", "id: nd-test2.prof")
        .replace("valid_from: 2023-08-01\n    valid_to: 2025-06-30", "valid_from: 2025-01-01")
    )
    write(tmp_path, other, "nd-test2.yaml")
    (p,) = problems(tmp_path, VALID)[0]
    assert "TP_HT" in p.message_vi and "nd-test.prof" in p.message_vi and p.file.endswith("nd-test2.yaml")


def test_duplicate_key_and_syntax_error(tmp_path):
    (p,) = problems(
        tmp_path,
        VALID.replace("    criterion: professional\n", "    criterion: professional\n    criterion: it\n"),
    )[0]
    assert p.line == 13 and "criterion" in p.message_vi
    (p,) = problems(tmp_path, VALID + "  - [unclosed\n")[0]
    assert "YAML" in p.message_en


def test_code_must_match_file_name(tmp_path):
    (p,) = problems(tmp_path, VALID, name="other.yaml")[0]
    assert "other" in p.message_vi


def test_unverified_needs_a_note(tmp_path):
    (p,) = problems(tmp_path, VALID.replace('  source: "tests"\n', '  source: "tests"\n  verified: false\n'))[
        0
    ]
    assert "verification_note" in p.message_vi


def test_every_problem_is_reported_at_once(tmp_path):
    bad = VALID.replace("minimum: university", "minimum: nope").replace(
        "valid_to: 2025-06-30", "valid_to: 2025-13-01"
    )
    found, _ = problems(tmp_path, bad)
    assert len(found) == 2
    assert any("nope" in p.message_vi for p in found)  # the unknown level
    assert any(
        "2025-13-01" in p.message_vi or "valid_to" in p.message_vi for p in found
    )  # the impossible date


def test_national_rules_load_and_cover_every_era():
    rules = default_rules()
    for on in (date(2005, 6, 1), date(2015, 1, 1), date(2020, 1, 1), date(2024, 1, 1), date(2026, 1, 1)):
        assert rules.standards_on(on), f"no standard in force on {on}"
        assert any(q.in_force(on) for q in rules.quotas), f"no quota rule on {on}"
    assert {r.sex for r in rules.retirement} == {"male", "female"}
    purposes = {e.purpose for e in rules.eligibility}
    assert {"postgraduate_training", "succession_tier_1", "succession_tier_2", "appointment"} <= purposes
    assert any(e.in_force(date(2024, 1, 1)) for e in rules.discipline_effects)
    assert any(e.in_force(date(2026, 1, 1)) for e in rules.discipline_effects)


def test_unverified_items_say_why():
    rules = default_rules()
    for s in rules.standards:
        if not s.verified:
            assert s.verification_note, s.id


def test_draft_takes_over_from_its_date(tmp_path):
    rules = load_rules(write(tmp_path, VALID))
    draft_dir = tmp_path / "draft"
    draft_dir.mkdir()
    draft = (
        VALID.replace("code: nd-test", "code: du-thao")
        .replace("id: nd-test.prof", "id: du-thao.prof")
        .replace("minimum: university", "minimum: master")
        .replace("valid_from: 2023-08-01\n    valid_to: 2025-06-30", "valid_from: 2024-01-01")
    )
    (draft_dir / "du-thao.yaml").write_text(draft, encoding="utf-8")
    reformed = rules.with_draft(load_rules(draft_dir))
    (old,) = [s for s in reformed.standards if s.id == "nd-test.prof"]
    assert old.valid_to == date(2023, 12, 31)
    assert [s.minimum for s in reformed.standards_on(date(2030, 7, 1))] == ["master"]


EXCEPTION = """\
    exceptions:
      - kind: difficult_area
        minimum: intermediate
        areas: [mountainous]
        verified: "yes"
        verification_note: "đang đối chiếu"
        reference: {article: 10, clause: 2}
        message: {vi: "Miền núi: trung cấp", en: "Mountains: intermediate"}
"""


def test_an_exceptions_verified_must_be_true_or_false(tmp_path):
    found, _ = problems(tmp_path, VALID + EXCEPTION)
    assert [p.message_en for p in found] == [
        "standards[nd-test.prof]: an exception's 'verified' must be true/false"
    ]
    assert found[0].line == VALID.count("\n") + 5
