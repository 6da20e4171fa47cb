"""A later list updates the record, visibly (issue 9 §1, §3 and "Bad input"): every difference
with the record shown old → new per person and per field, applied exactly as shown with its
history; hand-entered values never overwritten silently; nobody created twice; the rows per
commune and every doubt of the reader listed in the preview. Real .xlsx files (written with
:mod:`import_lists`) against the real units of Lạng Sơn (``tests/conftest.py``)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from import_lists import good_people, write_list

from canbo.core.identity import make_identity_number

AS_OF = date(2024, 12, 31)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_import(path, user, unit, as_of=AS_OF, commit=True):
    from canbo.imports import services

    batch = services.copy_into_batch(Path(path), unit, as_of, user)
    preview = services.prepare(batch, user, today=date(2026, 11, 27))
    summary = services.commit(batch, preview, user) if commit and preview.ok else None
    batch.refresh_from_db()
    return batch, preview, summary


def upload(client, path, unit, as_of="31/12/2024"):
    with open(path, "rb") as fh:
        return client.post("/admin/imports/importbatch/add/", {"file": fh, "unit": unit.pk, "as_of": as_of})


# --------------------------------------------------------------------------- the right commune


def test_the_preview_counts_rows_per_commune_by_name(world, tmp_path, client, capsys):
    people = good_people()
    people.append(dict(people[0], name="Hoàng Văn Bình", id=""))  # a second row for Xã Bảo Lâm
    path = write_list(tmp_path / "ds.xlsx", people)
    batch, _preview, _ = run_import(path, world.users["province"], world.units.caoloc, commit=False)
    assert batch.summary["units"] == {"Xã Bảo Lâm": 2, "Xã Thanh Lòa": 1, "Xã Xuất Lễ": 1}
    client.force_login(world.users["province"])
    html = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert 'id="unit-counts"' in html
    assert (
        "<tr><th>Xã Bảo Lâm</th><td>2</td></tr>" in html and "<tr><th>Xã Xuất Lễ</th><td>1</td></tr>" in html
    )
    call_command("import", str(path), "--unit", "183", "--date", "31/12/2024", "--dry-run")
    out = capsys.readouterr().out
    assert "Số dòng theo xã:\n  Xã Bảo Lâm: 2\n  Xã Thanh Lòa: 1\n  Xã Xuất Lễ: 1\n" in out
    call_command(
        "import", str(path), "--unit", "183", "--date", "31/12/2024", "--dry-run", "--format", "json"
    )
    assert json.loads(capsys.readouterr().out)["units"]["Xã Bảo Lâm"] == 2


def test_a_district_list_naming_no_commune_is_refused_naming_the_district(world, tmp_path):
    people = good_people()
    for p in people:
        p["commune"] = ""
    _batch, preview, summary = run_import(
        write_list(tmp_path / "ds.xlsx", people), world.users["province"], world.units.caoloc
    )
    assert summary is None
    [refusal] = [p for p in preview.errors if p.code == "no_commune"]
    # The unit's name reaches the reader (ImportContext.unit_name), which names it.
    assert f"({world.units.caoloc.name})" in refusal.message_vi


# --------------------------------------------------------------------------- matching


def test_a_later_list_adds_id_numbers_and_corrections_to_people_imported_without_them(world, tmp_path):
    """Issue 9 §1: people imported from a list without ID numbers are found again by the
    earlier import's row key; the ID numbers the later list adds and the ethnicity it corrects
    are changes (old → new), never a second person."""
    from canbo.registry.models import Person

    user = world.users["province"]
    first = good_people(number=False)
    run_import(write_list(tmp_path / "a.xlsx", first), user, world.units.caoloc)
    people_before = Person.objects.count()
    second = good_people(number=True)
    second[1]["ethnic"] = "Nùng"  # Lương Thị Hoa: Tày → Nùng
    _batch, preview, summary = run_import(write_list(tmp_path / "b.xlsx", second), user, world.units.caoloc)
    assert preview.counts()["update"] == 3 and preview.counts()["create"] == 0
    assert Person.objects.count() == people_before and summary["people_created"] == 0
    hoa = Person.objects.get(given_name="Hoa", family_name="Lương")
    [d] = [d for d in preview.decisions if d.person_id == hoa.pk]
    assert d.changes["identity_number"] == (None, second[1]["id"])
    assert d.changes["ethnicity"] == ("02", "07")  # Tày → Nùng
    assert hoa.identity_number == second[1]["id"] and hoa.ethnicity == "07"
    nam = Person.objects.get(given_name="Nam", family_name="Hoàng")
    assert nam.identity_number == second[0]["id"]


def test_a_birth_date_made_precise_and_a_name_typed_otherwise_find_the_same_person(world, tmp_path):
    """Issue 9 §1: 1979 on record, 17/05/1979 in the later list — same person, the date
    completed; "Lương Thị Hoà" / "LƯƠNG THỊ HÒA" (case, where the tone mark sits) — same
    person, the name as on record."""
    from canbo.registry.models import Person

    user = world.users["province"]
    first = good_people(number=False)
    first[1]["name"] = "Lương Thị Hoà"
    run_import(write_list(tmp_path / "a.xlsx", first), user, world.units.caoloc)
    duc = Person.objects.get(given_name="Đức")
    assert duc.birth_date == date(1979, 1, 1) and duc.birth_date_precision == "year"
    people_before = Person.objects.count()
    second = good_people(number=False)
    second[1]["name"] = "LƯƠNG THỊ HÒA"
    second[2]["born"] = date(1979, 5, 17)
    _batch, preview, _summary = run_import(write_list(tmp_path / "b.xlsx", second), user, world.units.caoloc)
    assert preview.counts()["create"] == 0 and preview.counts()["review"] == 0
    assert Person.objects.count() == people_before
    [d] = [d for d in preview.decisions if d.person_id == duc.pk]
    assert d.action == "update"
    assert d.changes["birth_date"] == (date(1979, 1, 1), date(1979, 5, 17))
    assert d.changes["birth_date_precision"] == ("year", "day")
    duc.refresh_from_db()
    assert duc.birth_date == date(1979, 5, 17) and duc.birth_date_precision == "day"
    hoa = Person.objects.get(family_name="Lương")
    assert hoa.given_name == "Hoà"  # the record's spelling stays; no change shown
    [h] = [d for d in preview.decisions if d.person_id == hoa.pk]
    assert h.action == "unchanged" and h.changes == {}
    # The third import of the precise list finds everyone by row key: nothing changes.
    _b, again, _s = run_import(write_list(tmp_path / "c.xlsx", second), user, world.units.caoloc)
    assert again.counts()["unchanged"] == 3 and Person.objects.count() == people_before


def test_a_namesake_entered_by_hand_with_a_finer_date_goes_to_review_not_created(world, tmp_path):
    """Issue 9 §1: a row without an ID number, its name in capitals and its birth date a year,
    naming a person entered by hand in the same unit (same name, full date of that year): held
    for review — never created twice, never merged silently."""
    from import_lists import person_row

    from canbo.imports.models import ImportReview
    from canbo.registry.models import Person

    user = world.users["province"]
    existing = world.people["baolam"]  # Lộc Thị Huyền, born 02/03/1977, kept by Xã Bảo Lâm
    row = person_row(
        "LỘC",
        "THỊ",
        "HUYỀN",
        str(existing.birth_date.year),
        "female",
        "Bảo Lâm",
        "Phó Chủ tịch UBND",
        number=False,
    )
    before = Person.objects.count()
    _b, preview, summary = run_import(write_list(tmp_path / "ds.xlsx", [row]), user, world.units.caoloc)
    assert preview.counts()["review"] == 1 and preview.counts()["create"] == 0
    assert Person.objects.count() == before and summary["held_for_review"] == 1
    review = ImportReview.objects.get()
    assert review.candidate == existing and "02/03/1977" in review.reason and "1977" in review.reason


# --------------------------------------------------------------------------- hand-entered values


def test_a_value_entered_by_hand_since_the_import_goes_to_review_not_overwritten(world, tmp_path, client):
    """Issue 9 §1: an officer corrected Hoa's ethnicity by hand after the first import; the
    next list still says Tày. Her row is held for review (both values shown), her record keeps
    the hand-entered value; the other rows proceed. A hand edit the list agrees with is no
    conflict."""
    from canbo.imports.models import ImportReview
    from canbo.registry.models import Person

    user, officer = world.users["province"], world.users["caoloc"]
    people = good_people()
    run_import(write_list(tmp_path / "a.xlsx", people), user, world.units.caoloc)
    hoa = Person.objects.get(identity_number=people[1]["id"])
    nam = Person.objects.get(identity_number=people[0]["id"])
    for person in (hoa, nam):
        person.ethnicity = "07"  # Nùng, by hand (the admin's save: no import reason)
        person._history_user = officer
        person.save()
    people[0]["ethnic"] = "Nùng"  # the list agrees with the hand edit for Nam
    people[2]["ethnic"] = "Kinh"  # Đức: an ordinary correction
    _b, preview, summary = run_import(write_list(tmp_path / "b.xlsx", people), user, world.units.caoloc)
    c = preview.counts()
    assert (c["review"], c["update"], c["unchanged"]) == (1, 1, 1)
    review = ImportReview.objects.get()
    assert review.candidate == hoa
    assert "Nùng" in review.reason and "Tày" in review.reason and officer.username in review.reason
    hoa.refresh_from_db()
    assert hoa.ethnicity == "07"  # not overwritten
    assert Person.objects.get(identity_number=people[2]["id"]).ethnicity == "01"
    assert summary["held_for_review"] == 1 and summary["people_updated"] == 1
    client.force_login(user)
    html = client.get(f"/admin/imports/importreview/{review.pk}/change/").content.decode()
    assert "sửa tay" in html and "Nùng" in html and "Tày" in html
    # A later import that writes the field again makes it the import's once more.
    from canbo.imports import services

    services.apply_review(review, "same_person", user)
    hoa.refresh_from_db()
    assert hoa.ethnicity == "02"
    _b, again, _s = run_import(write_list(tmp_path / "c.xlsx", people), user, world.units.caoloc)
    assert again.counts()["review"] == 0 and again.counts()["unchanged"] == 3


# --------------------------------------------------------------------------- qualifications, posts


def test_a_higher_qualification_and_a_post_that_ended_are_changes(world, tmp_path):
    """Issue 9 §1 (rule in canbo.imports.matching._plan_posts_and_qualifications): a later list gives Nam a master's degree and names him Vice-Chairman where
    he was Chairman: the preview shows "+ Thạc sĩ Luật", the new post and the old one ending
    the day before the new one begins; Hoa, listed on two rows (two concurrent posts, one new),
    keeps the post she held; Đức, listed as before, is unchanged."""
    from canbo.registry.models import Assignment, Person

    user = world.users["province"]
    # Without ID numbers: a list with them lists each person once (concurrent posts in the
    # notes); one without them may give a person one row per post.
    first = good_people(number=False)
    run_import(write_list(tmp_path / "a.xlsx", first), user, world.units.caoloc)
    nam = Person.objects.get(family_name="Hoàng", given_name="Nam")
    hoa = Person.objects.get(family_name="Lương", given_name="Hoa")
    second = good_people(number=False)
    second[0]["professional"] = "Thạc sĩ Luật"
    second[0]["title"] = "Phó Chủ tịch UBND"
    second.insert(2, dict(second[1], title="Văn phòng - thống kê"))  # Hoa: a second post, concurrent
    as_of = date(2025, 3, 31)
    batch, preview, summary = run_import(
        write_list(tmp_path / "b.xlsx", second), user, world.units.caoloc, as_of
    )
    shown = {d.person_id: [] for d in preview.decisions}
    for d in preview.decisions:
        shown[d.person_id] += d.shown()
    # What he holds on record in that dimension is the old value.
    assert ("trình độ chuyên môn, nghiệp vụ", "Đại học Luật", "+ Thạc sĩ Luật") in shown[nam.pk]
    assert any(new.startswith("+ Phó Chủ tịch") and "31/03/2025" in new for _w, _o, new in shown[nam.pk])
    [ended] = [(what, old, new) for what, old, new in shown[nam.pk] if new.startswith("kết thúc")]
    assert ended[0].startswith("Chủ tịch") and ended[2] == "kết thúc 30/03/2025 (Điều động, chuyển công tác)"
    assert not [new for _w, _o, new in shown[hoa.pk] if new.startswith("kết thúc")]
    duc = Person.objects.get(given_name="Đức")
    assert [d.action for d in preview.decisions if d.person_id == duc.pk] == ["unchanged"]
    assert [d.action for d in preview.decisions if d.person_id == hoa.pk] == ["unchanged", "update"]
    assert (
        summary["posts_ended"] == 1 and summary["posts_added"] == 2 and summary["qualifications_added"] == 1
    )
    old = Assignment.objects.get(person=nam, title__code="CT_UBND")
    assert old.end == date(2025, 3, 30) and old.end_reason == "transfer"
    entry = old.history.order_by("-history_id").first()
    assert entry.end == date(2025, 3, 30) and f"#{batch.pk}" in entry.history_change_reason
    assert Assignment.objects.get(person=hoa, title__code="TP_HT").end == date(
        2025, 6, 30
    )  # kept (unit merged)
    assert nam.qualifications.filter(dimension="professional", level="master", field_of_study="law").exists()
    # The same list again: nothing to add or end.
    _b, again, _s = run_import(write_list(tmp_path / "c.xlsx", second), user, world.units.caoloc, as_of)
    assert all(d.action == "unchanged" for d in again.decisions)


# --------------------------------------------------------------------------- the preview shows it all


def test_the_preview_page_and_the_command_show_each_change_old_to_new_and_each_doubt(
    world, tmp_path, client, capsys
):
    """Issue 9 §1 and "Bad input": the admin preview lists every change old → new per person
    and per field (kept on the batch), and the reader's doubts grouped by kind with each row:
    the ID number whose leading zero was restored, the totals and signature rows not imported,
    the qualification cell not read. ``canbo import`` prints the same changes."""
    from canbo.imports.models import ImportBatch

    user = world.users["province"]
    client.force_login(user)
    people = good_people()
    run_import(write_list(tmp_path / "a.xlsx", people), user, world.units.caoloc)
    people[1]["ethnic"] = "Nùng"
    people[0]["id_as_number"] = True  # 020… typed as a number: 20…
    people[2]["it"] = "Học lực khá"  # no qualification: kept in the notes, a warning
    people[1]["it"] = "Tin học văn phòng"  # no level named: read as basic with low confidence
    path = write_list(tmp_path / "b.xlsx", people, totals=True)
    response = upload(client, path, world.units.caoloc)
    batch = ImportBatch.objects.latest("pk")
    assert {"field": "dân tộc", "old": "Tày", "new": "Nùng"}.items() <= batch.changes[0].items()
    html = client.get(response.url).content.decode()
    assert 'id="changes"' in html
    assert "<td>Dân tộc</td><td>Tày</td><td>Nùng" in html and "Lương Thị Hoa</a>" in html
    doubts = html[html.index('id="doubts"') :]
    for code in (
        "identity_number_as_number",
        "summary_row",
        "signature_row",
        "unreadable_qualification",
        "uncertain_qualification",
    ):
        assert f'id="doubt-{code}"' in doubts, code
    assert "Số định danh đã khôi phục số 0 đầu (Excel lưu dạng số): 1" in doubts
    assert people[0]["id"] in doubts and people[0]["id"].lstrip("0") in doubts  # old → new
    assert "Tổng cộng: 3 người" in doubts and "Người lập biểu" in doubts and "Học lực khá" in doubts
    uncertain = doubts[doubts.index('id="doubt-uncertain_qualification"') :]
    assert "“Tin học văn phòng” được hiểu là" in uncertain and "độ tin cậy 60%" in uncertain
    call_command("import", str(path), "--unit", "183", "--date", "31/12/2024", "--dry-run")
    out = capsys.readouterr().out
    assert "Thay đổi so với hồ sơ (cũ → mới):" in out and "Lương Thị Hoa: dân tộc: Tày → Nùng" in out


def test_many_changes_are_paged(world, tmp_path, client, monkeypatch):
    from canbo.imports import admin as imports_admin
    from canbo.imports.models import ImportBatch

    monkeypatch.setattr(imports_admin, "CHANGES_PER_PAGE", 2)
    user = world.users["province"]
    client.force_login(user)
    people = good_people()
    run_import(write_list(tmp_path / "a.xlsx", people), user, world.units.caoloc)
    for p in people:
        p["ethnic"] = "Dao"
    upload(client, write_list(tmp_path / "b.xlsx", people), world.units.caoloc)
    batch = ImportBatch.objects.latest("pk")
    assert len(batch.changes) == 3
    first = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    last = client.get(f"/admin/imports/importbatch/{batch.pk}/change/?cpage=2").content.decode()
    assert first.count('<tr class="change">') == 2 and last.count('<tr class="change">') == 1
    assert "Trang 1/2 (3 thay đổi)" in first and "?cpage=2" in first


# --------------------------------------------------------------------------- commit = what was shown


def test_the_commit_writes_exactly_the_previewed_changes_with_history(world, tmp_path):
    """Issue 9 §1: after the commit, the person's history holds an entry by the importing user
    naming the batch whose before/after are exactly the previewed old → new, and no other
    field changed."""
    from canbo.registry.models import Person

    user = world.users["province"]
    first = good_people(number=False)
    run_import(write_list(tmp_path / "a.xlsx", first), user, world.units.caoloc)
    duc = Person.objects.get(given_name="Đức")
    second = good_people(number=True)
    second[2]["born"] = date(1979, 8, 9)
    second[2]["ethnic"] = "Tày"
    batch, preview, _s = run_import(
        write_list(tmp_path / "b.xlsx", second), user, world.units.caoloc, commit=False
    )
    [d] = [d for d in preview.decisions if d.person_id == duc.pk]
    shown = {c["field"]: (c["old"], c["new"]) for c in batch.changes if c["person"] == duc.pk}
    assert shown == {
        "số định danh cá nhân": ("(trống)", second[2]["id"]),
        "ngày sinh": ("1979", "09/08/1979"),  # the year on record, never an invented 01/01
        "dân tộc": ("Nùng", "Tày"),
    }
    from canbo.imports import services

    services.commit(batch, preview, user, expected=batch.summary["fingerprint"])
    after, before = duc.history.order_by("-history_id")[:2]
    assert after.history_user == user and f"#{batch.pk}" in after.history_change_reason
    delta = after.diff_against(before)
    assert {c.field: (c.old, c.new) for c in delta.changes} == {
        name: d.changes[name]
        for name in ("identity_number", "birth_date", "birth_date_precision", "ethnicity")
    }
    assert d.changes["birth_date"] == (date(1979, 1, 1), date(1979, 8, 9))
    assert d.changes["ethnicity"] == ("07", "02")


def test_a_date_change_is_shown_to_its_precision_on_one_line():
    """Issue 9 §1 ("a year-only birth date completed to a full date"): the preview writes each
    date as the record and the list know it — 1979 on record is "1979", never "01/01/1979" —
    and a precision change is part of the date's own line, not a line of raw precision words;
    a month known only as 03/2005 stays "03/2005"."""
    from canbo.core.importing.model import PersonRow
    from canbo.imports.services import Decision

    completed = Decision(
        row=PersonRow("DS", 9, birth_date=date(1979, 8, 20), birth_date_precision="day"),
        action="update",
        changes={
            "birth_date": (date(1979, 1, 1), date(1979, 8, 20)),
            "birth_date_precision": ("year", "day"),
        },
    )
    assert completed.shown() == [("ngày sinh", "1979", "20/08/1979")]
    # Only the precision changed: the list writes 01/01/1979 where the record knew 1979.
    same_day = Decision(
        row=PersonRow("DS", 9, birth_date=date(1979, 1, 1), birth_date_precision="day"),
        action="update",
        changes={"birth_date_precision": ("year", "day")},
    )
    assert same_day.shown() == [("ngày sinh", "1979", "01/01/1979")]
    # A month-precise Party date corrected to another month keeps its precision on both sides.
    party = Decision(
        row=PersonRow("DS", 9, party_joined_on=date(2005, 4, 1), party_joined_on_precision="month"),
        action="update",
        changes={"party_joined_on": (date(2005, 3, 1), date(2005, 4, 1))},
    )
    [(_what, old, new)] = party.shown()
    assert (old, new) == ("03/2005", "04/2005")


def test_party_membership_and_its_date_added_by_a_later_list_are_changes(world, tmp_path):
    """Issue 9 §1: Party membership unknown on record (its cell blank in the first list); the
    later list marks it and gives the admission date: both are changes old → new, written."""
    from importing_fixtures import write_rows

    from canbo.registry.models import Person

    header = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Dân tộc",
        "Chức vụ",
        "Xã",
        "Đảng viên",
        "Ngày vào Đảng",
    ]
    ident = make_identity_number(20, 1980, "male", 801)
    base = [1, "Nông Văn Tuấn", "17/05/1980", "Nam", ident, "Tày", "Chủ tịch UBND", "Xã Bảo Lâm"]
    user = world.users["province"]
    first = tmp_path / "a.xlsx"
    first.write_bytes(write_rows(header, [[*base, "", ""]], text_columns=[4]))
    run_import(first, user, world.units.caoloc)
    tuan = Person.objects.get(identity_number=ident)
    assert tuan.is_party_member is None
    second = tmp_path / "b.xlsx"
    second.write_bytes(write_rows(header, [[*base, "x", "12/03/2005"]], text_columns=[4]))
    batch, preview, _s = run_import(second, user, world.units.caoloc)
    [d] = preview.decisions
    assert d.changes["is_party_member"] == (None, True)
    assert d.changes["party_joined_on"] == (None, date(2005, 3, 12))
    shown = {c["field"]: (c["old"], c["new"]) for c in batch.changes}
    assert shown["ngày vào Đảng"] == ("(trống)", "12/03/2005")
    tuan.refresh_from_db()
    assert tuan.is_party_member is True and tuan.party_joined_on == date(2005, 3, 12)


def test_a_row_key_match_with_a_different_id_number_goes_to_review(world, tmp_path):
    """An ID number on record is never replaced: a row found by the earlier import's key whose
    ID number differs from the one on record is held for review, not written."""
    from canbo.imports.models import ImportReview
    from canbo.registry.models import Person

    user = world.users["province"]
    run_import(write_list(tmp_path / "a.xlsx", good_people(number=False)), user, world.units.caoloc)
    second = good_people()
    run_import(write_list(tmp_path / "b.xlsx", second), user, world.units.caoloc)
    nam = Person.objects.get(family_name="Hoàng", given_name="Nam")
    assert nam.identity_number == second[0]["id"]
    third = good_people(number=False)
    third[0]["id"] = make_identity_number(20, 1980, "male", 999)
    _b, preview, _s = run_import(write_list(tmp_path / "c.xlsx", third), user, world.units.caoloc)
    assert preview.counts()["review"] == 1 and preview.counts()["create"] == 0
    review = ImportReview.objects.get()
    assert review.candidate == nam and second[0]["id"] in review.reason and third[0]["id"] in review.reason
    nam.refresh_from_db()
    assert nam.identity_number == second[0]["id"]


def test_each_doubt_is_listed_once_and_the_commit_button_comes_after_them(
    world, tmp_path, client, monkeypatch
):
    """Issue 9 "Bad input", as an officer reads the page: each doubt is listed once — under its
    kind, or (beyond the first rows of a kind) in the paged table of the other problems — and
    the button that writes comes after everything the preview shows."""
    from canbo.imports import admin as imports_admin

    client.force_login(world.users["province"])
    people = good_people()
    people[0]["id_as_number"] = people[1]["id_as_number"] = True
    response = upload(client, write_list(tmp_path / "a.xlsx", people, totals=True), world.units.caoloc)
    html = client.get(response.url).content.decode()
    doubts, problems = (
        html[html.index('id="doubts"') : html.index('id="problems"')],
        html[html.index('id="problems"') :],
    )
    assert "Tổng cộng: 3 người" in doubts and "Tổng cộng: 3 người" not in problems
    assert people[0]["id"].lstrip("0") in doubts and people[0]["id"].lstrip("0") not in problems
    assert "ngày bắt đầu" in problems  # a warning of no listed kind stays in the table
    assert html.index('id="commit-form"') > html.index('id="problems"') > html.index('id="doubts"')

    monkeypatch.setattr(imports_admin, "DOUBT_ROWS_SHOWN", 1)
    html = client.get(response.url).content.decode()
    doubts, problems = (
        html[html.index('id="doubts"') : html.index('id="problems"')],
        html[html.index('id="problems"') :],
    )
    assert "Số định danh đã khôi phục số 0 đầu (Excel lưu dạng số): 2" in doubts
    assert people[0]["id"].lstrip("0") in doubts and people[1]["id"].lstrip("0") not in doubts
    assert people[1]["id"].lstrip("0") in problems and people[0]["id"].lstrip("0") not in problems
