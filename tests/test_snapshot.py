"""The database snapshot (``canbo.standards.snapshot.load_snapshot``) and the services built on
it: exactly the posts held on the date, the people with their first post, all their
qualifications, the units of the subtree (empty communes included) with their parents, and
the dated unit facts — on SQLite and PostgreSQL alike (``DATABASE_URL``)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from standards_fixtures import LEGACY_END, REFORM, standards_world  # noqa: F401  (fixture)

from canbo.core.standards.snapshot import SCHEMAS, Snapshot
from canbo.standards.snapshot import load_snapshot


def people_in_post(snap: Snapshot, w) -> set[str]:
    ids = set(snap.posts["person_id"].to_list())
    return {k for k, p in w.people.items() if p.pk in ids}


def test_every_frame_follows_the_core_schema(standards_world):
    snap = load_snapshot(date(2024, 12, 31), standards_world.units["province"])
    for name, schema in SCHEMAS.items():
        assert dict(getattr(snap, name).schema) == schema, name


def test_one_query_per_table(standards_world):
    # A unit's snapshot reads the unit's subtree first (one query), then each table in one query.
    with CaptureQueriesContext(connection) as queries:
        load_snapshot(date(2024, 12, 31), standards_world.units["district"])
    assert len(queries) == len(SCHEMAS) + 1
    with CaptureQueriesContext(connection) as queries:
        load_snapshot(date(2024, 12, 31), person_ids=[p.pk for p in standards_world.people.values()])
    assert len(queries) == len(SCHEMAS)


def test_exactly_the_posts_held_on_the_date(standards_world):
    w = standards_world
    district = w.units["district"]
    binh_end, cuong_start = w.posts["binh"].end, w.posts["cuong"].start
    assert people_in_post(load_snapshot(binh_end, district), w) == {"an", "binh", "cuong", "em"}
    # The day after an end and the day before a start are excluded; the end and start days included.
    assert people_in_post(load_snapshot(binh_end + timedelta(days=1), district), w) == {"an", "cuong", "em"}
    assert people_in_post(load_snapshot(cuong_start - timedelta(days=1), district), w) == {"an", "binh", "em"}
    assert people_in_post(load_snapshot(cuong_start, district), w) == {"an", "binh", "cuong", "em"}
    # Binh's earlier post (ended 29/02/2020) is not in the snapshot of 2024.
    snap = load_snapshot(binh_end, district)
    assert w.posts["binh_early"].pk not in snap.posts["assignment_id"].to_list()
    assert len(snap.people) == 4


def test_post_columns(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), w.units["c1"])
    row = snap.posts.filter(pl.col("assignment_id") == w.posts["cuong"].pk).row(0, named=True)
    assert row == {
        "assignment_id": w.posts["cuong"].pk,
        "person_id": w.people["cuong"].pk,
        "unit_id": w.units["c1"].pk,
        "title_code": "CT_UBND",
        "title_kind": "cadre",
        "start": date(2021, 1, 1),
        "end": LEGACY_END,
        "start_reason": "elected",
        "is_concurrent": False,
    }


def test_people_have_full_name_and_first_start_of_any_post(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), w.units["c1"])
    binh = snap.people.filter(pl.col("person_id") == w.people["binh"].pk).row(0, named=True)
    assert binh["full_name"] == "Trần Thị Bình"
    assert binh["birth_date"] == date(1988, 9, 15)
    assert binh["sex"] == "female"
    # Her first post was in another commune (Xã Hai), ended long before the date.
    assert binh["first_start"] == date(2012, 1, 1)
    giang = load_snapshot(REFORM, w.units["c3"]).people.row(0, named=True)
    assert giang["full_name"] == "Hoàng Giang"  # no middle name: no double space
    assert giang["birth_date"] is None


def test_all_qualifications_of_the_people(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), w.units["c1"])
    an = snap.qualifications.filter(pl.col("person_id") == w.people["an"].pk).sort("dimension")
    assert an.rows() == [
        (w.people["an"].pk, "general_education", "upper_secondary", None, date(2003, 6, 1)),
        (w.people["an"].pk, "professional", "university", "law", date(2008, 6, 30)),
    ]
    # A blank field of study is "not recorded" (null), as the engine expects.
    em = snap.qualifications.filter(pl.col("person_id") == w.people["em"].pk).row(0, named=True)
    assert em["field_of_study"] is None
    # Nobody outside the snapshot's people.
    assert set(snap.qualifications["person_id"]) <= set(snap.people["person_id"])
    assert w.people["giang"].pk not in snap.qualifications["person_id"].to_list()


def test_evaluations_and_disciplines_of_the_people(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), w.units["c1"])
    assert sorted(snap.evaluations.select("year", "rating").rows()) == [(2023, "good"), (2024, "excellent")]
    assert snap.disciplines.rows() == [
        (w.people["cuong"].pk, "administrative", "reprimand", date(2023, 5, 2))
    ]


def test_a_legacy_district_includes_its_communes_and_its_province(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), w.units["district"])
    units = {r["code"]: r for r in snap.units.iter_rows(named=True)}
    # Xã Hai has nobody in post and is still there, for the staffing analysis.
    assert {"99", "999", "99901", "99902"} <= set(units)
    assert "99903" not in units
    c2 = units["99902"]
    assert c2["district_id"] == w.units["district"].pk
    assert c2["province_id"] == w.units["province"].pk
    assert c2["parent_kind"] == "rural_district"
    assert c2["valid_to"] == LEGACY_END
    assert units["999"]["province_id"] == w.units["province"].pk
    # The classes, flags and statistics of those units.
    assert sorted(snap.unit_classes["unit_class"].to_list()) == ["class_2", "class_3"]
    assert snap.unit_flags.rows() == [(w.units["c1"].pk, "mountainous", date(2005, 1, 1), None)]
    assert snap.unit_statistics.rows() == [(w.units["c1"].pk, 2023, 9500, 41.25)]


def test_a_new_province_and_its_communes_have_no_district(standards_world):
    w = standards_world
    snap = load_snapshot(REFORM, w.units["province2"])
    c3 = snap.units.filter(pl.col("code") == "99903").row(0, named=True)
    assert c3["district_id"] is None
    assert c3["province_id"] == w.units["province2"].pk
    assert c3["parent_kind"] == "province"
    assert people_in_post(snap, w) == {"giang"}


def test_a_commune_snapshot_carries_its_parents(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), w.units["c1"])
    assert set(snap.units["code"]) == {"99", "999", "99901"}


def test_the_snapshot_of_given_people(standards_world):
    w = standards_world
    snap = load_snapshot(date(2024, 12, 31), person_ids=[w.people["binh"].pk])
    assert people_in_post(snap, w) == {"binh"}
    assert snap.people["person_id"].to_list() == [w.people["binh"].pk]
    # The units of her post and those above it.
    assert set(snap.units["code"]) == {"99", "999", "99901"}
    assert len(load_snapshot(date(2024, 12, 31), person_ids=[]).posts) == 0


def test_the_whole_country(standards_world):
    w = standards_world
    snap = load_snapshot(REFORM)
    assert people_in_post(snap, w) == {"giang"}
    assert {"99901", "99902", "99903"} <= set(snap.units["code"])


def test_the_snapshot_evaluates_like_a_hand_built_one(standards_world):
    """The engine sees the same thing whichever way the snapshot was built."""
    from canbo.standards import services

    w = standards_world
    on = date(2024, 12, 31)
    findings = services.findings_for_unit(w.units["district"], on)
    status = {(r["person_id"], r["criterion"]): r["status"] for r in findings.iter_rows(named=True)}
    assert status[(w.people["an"].pk, "professional")] == "met"
    assert status[(w.people["an"].pk, "field_of_study")] == "met"
    assert status[(w.people["binh"].pk, "professional")] == "unmet"
    assert status[(w.people["cuong"].pk, "professional")] == "unknown"
    em = findings.filter(
        (pl.col("person_id") == w.people["em"].pk) & (pl.col("criterion") == "professional")
    ).row(0, named=True)
    assert (em["status"], em["basis"], em["deadline"]) == ("met", "transition", date(2026, 12, 31))
    one = services.findings_for_person(w.people["binh"], on)
    assert one.equals(findings.filter(pl.col("person_id") == w.people["binh"].pk))


def test_staffing_service(standards_world):
    from canbo.standards import services

    w = standards_world
    report = services.staffing_for_unit(w.units["district"], date(2024, 12, 31))
    rows = {r["code"]: r for r in report.units.iter_rows(named=True)}
    assert rows["99901"]["quota"] == 2 and rows["99901"]["headcount"] == 4
    assert rows["99902"]["headcount"] == 0


@pytest.mark.parametrize("on", [date(2005, 1, 1), date(2030, 1, 1)])
def test_dates_without_anybody(standards_world, on):
    snap = load_snapshot(on, standards_world.units["district"])
    assert snap.posts.is_empty() and snap.people.is_empty()
