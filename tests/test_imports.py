"""Importing Excel lists through the Django adapter (issue 4 §2): matching by ID number, review
instead of silent merging, all or nothing, idempotent re-import, the kept file, scope, the
``canbo import`` command and the admin pages — against real .xlsx files and the real units of
Lạng Sơn (the ``world`` of ``tests/conftest.py``)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from import_lists import good_people, person_row, write_list

from canbo.core.identity import make_identity_number

AS_OF = date(2024, 12, 31)


@pytest.fixture
def users(world):
    return world.users


def counts():
    from canbo.registry.models import Assignment, Person, Qualification

    return (
        Person.objects.count(),
        Assignment.objects.count(),
        Qualification.objects.count(),
        Person.history.count(),
        Assignment.history.count(),
        Qualification.history.count(),
    )


def run_import(path, user, unit, as_of=AS_OF):
    from canbo.imports import services

    batch = services.copy_into_batch(Path(path), unit, as_of, user)
    preview = services.prepare(batch, user, today=date(2026, 11, 27))
    summary = services.commit(batch, preview, user) if preview.ok else None
    batch.refresh_from_db()
    return batch, preview, summary


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_messy_list_is_imported_with_posts_qualifications_and_history(world, tmp_path):
    from canbo.imports.models import BatchStatus
    from canbo.registry.models import Person

    user = world.users["province"]
    before = counts()
    batch, preview, summary = run_import(
        write_list(tmp_path / "ds.xlsx", good_people()), user, world.units.caoloc
    )
    assert preview.ok, [p.message_vi for p in preview.errors]
    assert batch.status == BatchStatus.COMMITTED and batch.committed_by == user
    assert summary["people_created"] == 3 and summary["posts_added"] == 3
    nam = Person.objects.get(family_name="Hoàng", given_name="Nam", birth_date=date(1980, 5, 17))
    assert nam.sex == "male" and nam.managing_unit == world.units.baolam and nam.ethnicity != "01"
    post = nam.assignments.get()
    assert post.title.code == "CT_UBND" and post.start == AS_OF and post.start_reason == ""
    # The legacy commune ended on 30/06/2025: the post ends with it.
    assert post.end == date(2025, 6, 30) and post.end_reason == "unit_merged"
    levels = set(nam.qualifications.values_list("dimension", "level", "field_of_study", "original_text"))
    assert ("professional", "university", "law", "ĐH Luật") in levels
    assert ("general_education", "upper_secondary", "", "12/12") in levels
    duc = Person.objects.get(given_name="Đức")
    assert duc.birth_date == date(1979, 1, 1) and duc.birth_date_precision == "year"
    assert duc.qualifications.filter(dimension="it", level="certificate_b").exists()
    # Every write has its history entry, by the importing user, naming the batch.
    created = nam.history.get()
    assert created.history_user == user and f"#{batch.pk}" in created.history_change_reason
    after = counts()
    assert after[0] - before[0] == 3 and after[3] - before[3] == 3
    # The bulk path writes the same history rows as a save would.
    for record in (nam.qualifications.get(dimension="professional"), post):
        entry = record.history.get()
        assert entry.history_type == "+" and entry.history_user == user and entry.id == record.pk
    assert nam.qualifications.get(dimension="professional").history.get().level == "university"
    # Ids were reserved properly: an ordinary save afterwards gets a fresh one (PostgreSQL sequences).
    other = Person.objects.create(
        family_name="Mới", given_name="Tạo", sex="male", managing_unit=world.units.baolam
    )
    assert other.pk > nam.pk
    # The file is kept, with its hash.
    assert batch.file.read()[:2] == b"PK" and len(batch.sha256) == 64


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    user = world.users["province"]
    path = write_list(tmp_path / "ds.xlsx", good_people())
    run_import(path, user, world.units.caoloc)
    before = counts()
    _, preview, summary = run_import(path, user, world.units.caoloc)
    assert counts() == before
    assert preview.counts()["unchanged"] == 3 and summary["people_created"] == 0
    assert preview.previous is not None


def test_reimporting_a_list_without_id_numbers_changes_nothing(world, tmp_path):
    from canbo.imports.models import ImportReview

    user = world.users["province"]
    path = write_list(tmp_path / "ds.xlsx", good_people(number=False))
    run_import(path, user, world.units.caoloc)
    before = counts()
    _batch, preview, _summary = run_import(path, user, world.units.caoloc)
    assert counts() == before and not ImportReview.objects.exists()
    assert preview.counts()["unchanged"] == 3


def test_a_changed_value_updates_the_person_and_records_before_and_after(world, tmp_path):
    from canbo.registry.models import Person

    user = world.users["province"]
    people = good_people()
    run_import(write_list(tmp_path / "a.xlsx", people), user, world.units.caoloc)
    people[0]["ethnic"] = "Nùng"
    people[0]["name"] = "Hoàng Văn Nam"
    _b, preview, summary = run_import(write_list(tmp_path / "b.xlsx", people), user, world.units.caoloc)
    assert preview.counts()["update"] == 1 and summary["people_updated"] == 1
    nam = Person.objects.get(identity_number=people[0]["id"])
    assert nam.ethnicity == "07"
    last, previous = nam.history.order_by("-history_id")[:2]
    assert previous.ethnicity != "07" and last.ethnicity == "07" and last.history_user == user


def test_a_namesake_without_id_number_is_held_for_review_not_merged(world, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import ImportReview, ReviewDecision
    from canbo.registry.models import Person

    user = world.users["province"]
    existing = world.people["baolam"]  # Lộc Thị Huyền, kept by legacy Xã Bảo Lâm
    row = person_row(
        "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
    )
    people_before = Person.objects.count()
    _, preview, summary = run_import(write_list(tmp_path / "ds.xlsx", [row]), user, world.units.caoloc)
    assert preview.counts()["review"] == 1 and summary["held_for_review"] == 1
    assert Person.objects.count() == people_before  # nothing merged, nobody created
    review = ImportReview.objects.get()
    assert review.candidate == existing and review.decision == ReviewDecision.PENDING
    # The officer decides: it is the same person → the post and qualifications join her file.
    posts = existing.assignments.count()
    services.apply_review(review, ReviewDecision.SAME_PERSON, user)
    review.refresh_from_db()
    assert review.decision == ReviewDecision.SAME_PERSON and review.person == existing
    assert existing.assignments.count() == posts + 1
    with pytest.raises(services.NotCommittable):
        services.apply_review(review, ReviewDecision.NEW_PERSON, user)


def test_review_as_a_new_person_creates_one(world, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import ImportReview, ReviewDecision
    from canbo.registry.models import Person

    user = world.users["province"]
    existing = world.people["baolam"]
    row = person_row(
        "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Tư pháp - hộ tịch", number=False
    )
    run_import(write_list(tmp_path / "ds.xlsx", [row]), user, world.units.caoloc)
    before = Person.objects.count()
    person = services.apply_review(ImportReview.objects.get(), ReviewDecision.NEW_PERSON, user)
    assert Person.objects.count() == before + 1 and person != existing
    assert person.history.get().history_user == user


@pytest.mark.parametrize(
    "fault, code",
    [
        ("future", "future_date"),
        ("young", "under_18"),
        ("commune", "unknown_unit"),
        ("duplicate", "duplicate_identity_number"),
        ("bad_id", "bad_identity_number"),
    ],
)
def test_one_bad_row_and_nothing_is_written(world, tmp_path, fault, code):
    from canbo.imports.models import BatchStatus

    people = good_people()
    if fault == "future":
        people[1]["born"] = date(2030, 1, 1)
    elif fault == "young":
        people[1]["born"] = date(2010, 1, 1)
        people[1]["id"] = make_identity_number(20, 2010, "female", 502)
    elif fault == "commune":
        people[1]["commune"] = "Xã Không Có"
    elif fault == "duplicate":
        people[2]["id"] = people[0]["id"]
    elif fault == "bad_id":
        people[1]["id"] = "020180000001"  # says born 1980 and male; the row says 1988, female
    before = counts()
    batch, preview, summary = run_import(
        write_list(tmp_path / "ds.xlsx", people), world.users["province"], world.units.caoloc
    )
    assert summary is None and counts() == before
    assert batch.status == BatchStatus.REFUSED
    problem = next(p for p in preview.errors if p.code == code)
    assert problem.row in (9, 10) and problem.sheet == "DS CBCC" and problem.message_vi
    assert any(p["code"] == code for p in batch.problems)


def test_a_corrupt_file_is_refused_with_a_message_and_kept(world, tmp_path):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    batch, preview, summary = run_import(path, world.users["province"], world.units.caoloc)
    assert summary is None and preview.plan is None
    assert preview.errors[0].code == "corrupt" and preview.errors[0].message_vi
    assert batch.status == "refused" and batch.file.read().startswith(b"PK")


def test_rows_outside_the_users_scope_are_refused(world, tmp_path):
    from canbo.imports import services

    # The Đồng Đăng officer sees legacy Bảo Lâm (merged into Đồng Đăng) but not Thanh Lòa.
    user = world.users["dongdang"]
    before = counts()
    _, preview, _ = run_import(write_list(tmp_path / "ds.xlsx", good_people()), user, world.units.caoloc)
    assert counts() == before
    out = [p for p in preview.errors if p.code == "out_of_scope"]
    assert {p.row for p in out} == {9, 10}
    assert services  # the scope check lives in services._match via canbo.access.scope


def test_an_id_number_kept_by_another_unit_is_not_touched(world, tmp_path):
    user = world.users["caoloc"]  # legacy Cao Lộc: does not see Phường Kỳ Lừa
    other = world.people["kylua"]
    row = person_row("Lăng", "Văn", "Tùng", other.birth_date, "male", "Bảo Lâm", "Chủ tịch UBND")
    row["id"] = other.identity_number
    before = counts()
    _b, preview, _ = run_import(write_list(tmp_path / "ds.xlsx", [row]), user, world.units.caoloc)
    assert counts() == before
    assert [p.code for p in preview.errors] == ["identity_number_elsewhere"]


def test_an_inspector_cannot_import(world, tmp_path):
    before = counts()
    _b, preview, _ = run_import(
        write_list(tmp_path / "ds.xlsx", good_people()), world.users["inspector"], world.units.caoloc
    )
    assert counts() == before and [p.code for p in preview.errors] == ["forbidden"]


# --------------------------------------------------------------------------- the command


def test_command_imports_and_reports(world, tmp_path, capsys):
    path = write_list(tmp_path / "ds.xlsx", good_people())
    call_command("import", str(path), "--unit", "183", "--date", "31/12/2024", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["committed"]["people_created"] == 3 and out["counts"]["errors"] == 0
    before = counts()
    call_command("import", str(path), "--unit", "183", "--date", "2024-12-31")
    text = capsys.readouterr()
    assert counts() == before and "Không thay đổi: 3" in text.out and "đã được nhập" in text.err


def test_command_dry_run_writes_nothing(world, tmp_path, capsys):
    before = counts()
    call_command(
        "import",
        str(write_list(tmp_path / "ds.xlsx", good_people())),
        "--unit",
        "183",
        "--date",
        "31/12/2024",
        "--dry-run",
    )
    assert counts() == before and "Chạy thử" in capsys.readouterr().out


def test_command_lists_every_problem_and_fails(world, tmp_path, capsys):
    people = good_people()
    people[0]["commune"] = "Xã Không Có"
    people[2]["born"] = "31/02/1980"
    with pytest.raises(CommandError, match="chưa ghi gì"):
        call_command(
            "import", str(write_list(tmp_path / "ds.xlsx", people)), "--unit", "183", "--date", "31/12/2024"
        )
    out = capsys.readouterr().out
    assert "dòng 8" in out and "dòng 10" in out and "31/02/1980" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["/nonexistent/file.xlsx", "--unit", "183"], "Không tìm thấy tệp"),
        (["FILE", "--unit", "00000"], "Không tìm thấy đơn vị"),
        (["FILE", "--unit", "183", "--date", "30/02/2024"], "Ngày không hợp lệ"),
    ],
)
def test_command_bad_arguments(world, tmp_path, args, message):
    path = write_list(tmp_path / "ds.xlsx", good_people())
    args = [str(path) if a == "FILE" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import", *args)


# --------------------------------------------------------------------------- the admin pages


def upload(client, path, unit, as_of="31/12/2024"):
    with open(path, "rb") as fh:
        return client.post("/admin/imports/importbatch/add/", {"file": fh, "unit": unit.pk, "as_of": as_of})


def test_admin_upload_preview_and_commit(world, tmp_path, client):
    from canbo.imports.models import ImportBatch
    from canbo.registry.models import Person

    client.force_login(world.users["province"])
    people = good_people()
    people[1]["professional"] = "Học lực khá"  # unreadable: a warning, the text kept in the notes
    response = upload(client, write_list(tmp_path / "ds.xlsx", people), world.units.caoloc)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and "Học lực khá" in html and 'id="commit-form"' in html
    assert 'id="columns"' in html and "Ngày, tháng, năm sinh / Nữ" in html  # which column was read as what
    assert not Person.objects.filter(given_name="Hoa").exists()
    done = client.post(f"/admin/imports/importbatch/{batch.pk}/commit/")
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "committed"
    hoa = Person.objects.get(given_name="Hoa")
    assert "Học lực khá" in hoa.notes


def test_admin_preview_lists_errors_and_offers_no_commit(world, tmp_path, client):
    from canbo.registry.models import Person

    client.force_login(world.users["province"])
    people = good_people()
    people[0]["born"] = "1/1/2031"
    response = upload(client, write_list(tmp_path / "ds.xlsx", people), world.units.caoloc)
    html = client.get(response.url).content.decode()
    assert 'id="commit-form"' not in html and "2031" in html and "Lỗi" in html
    # The refusal comes first, above the counts, with the way back to the upload form.
    assert html.index('class="errornote"') < html.index('id="summary"') < html.index('id="problems"')
    assert 'href="/admin/imports/importbatch/add/" id="upload-again"' in html
    batch_id = int(response.url.rstrip("/").split("/")[-2])
    before = Person.objects.count()
    client.post(f"/admin/imports/importbatch/{batch_id}/commit/")
    assert Person.objects.count() == before


def test_admin_refuses_a_file_that_is_not_excel(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["province"])
    response = client.post(
        "/admin/imports/importbatch/add/",
        {
            "file": SimpleUploadedFile("ds.csv", b"a,b\n"),
            "unit": world.units.caoloc.pk,
            "as_of": "31/12/2024",
        },
    )
    assert response.status_code == 200 and ".xlsx" in response.content.decode()


@pytest.mark.parametrize(
    "role, can_upload",
    [
        ("admin", True),
        ("province", True),
        ("caoloc", True),
        ("dongdang", True),
        ("inspector", False),
    ],
)
def test_admin_upload_permission_per_role(world, client, role, can_upload):
    client.force_login(world.users[role])
    response = client.get("/admin/imports/importbatch/add/")
    assert response.status_code == (200 if can_upload else 403)


def test_admin_batches_of_other_units_are_hidden_and_cannot_be_committed(world, tmp_path, client):
    from canbo.imports import services

    batch = services.copy_into_batch(
        write_list(tmp_path / "ds.xlsx", good_people()), world.units.caoloc, AS_OF, world.users["province"]
    )
    client.force_login(world.users["hanoi"])
    assert client.get(f"/admin/imports/importbatch/{batch.pk}/change/").status_code in (302, 403, 404)
    assert client.post(f"/admin/imports/importbatch/{batch.pk}/commit/").status_code == 404
    assert client.get(f"/admin/imports/importbatch/{batch.pk}/file/").status_code == 404


def test_admin_forged_unit_outside_scope_is_refused(world, tmp_path, client):
    from canbo.imports.models import ImportBatch

    client.force_login(world.users["caoloc"])
    response = upload(client, write_list(tmp_path / "ds.xlsx", good_people()), world.units.hn_commune)
    assert response.status_code == 200 and not ImportBatch.objects.exists()  # not a valid choice


def test_template_download_has_drop_downs_and_instructions(world, client):
    import openpyxl

    client.force_login(world.users["caoloc"])
    response = client.get("/admin/imports/importbatch/template/", {"unit": world.units.caoloc.pk})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert any("ướng dẫn" in name for name in wb.sheetnames)
    main = wb.worksheets[0]
    assert len(main.data_validations.dataValidation) >= 4
    lists = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "Bảo Lâm" in lists and "Hà Nội" not in lists


def test_admin_index_links_reports_and_import(world, client):
    client.force_login(world.users["caoloc"])
    html = client.get("/admin/").content.decode()
    assert "/admin/reports/" in html and "/admin/imports/importbatch/add/" in html


@pytest.mark.parametrize(
    "kind, code",
    [
        ("encrypted", "encrypted"),
        ("empty", "empty_sheet"),
        ("no_header", "no_header"),
        ("million_rows", "too_many_rows"),
    ],
)
def test_whole_file_refusals_write_nothing_and_say_why(world, tmp_path, capsys, kind, code):
    import importing_fixtures as fx

    data = {
        "encrypted": fx.encrypted_xlsx,
        "empty": fx.empty_workbook,
        "no_header": fx.no_header_workbook,
        "million_rows": fx.huge_dimension_xlsx,
    }[kind]()
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(data)
    before = counts()
    with pytest.raises(CommandError, match="chưa ghi gì"):
        call_command("import", str(path), "--unit", "183", "--date", "31/12/2024", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert counts() == before
    assert [p["code"] for p in out["problems"]] == [code] and out["problems"][0]["message_vi"]


def test_admin_refuses_a_file_above_the_size_limit(world, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canbo.imports.models import ImportBatch

    settings.CANBO_IMPORT_MAX_BYTES = 1024
    client.force_login(world.users["province"])
    response = client.post(
        "/admin/imports/importbatch/add/",
        {
            "file": SimpleUploadedFile("lon.xlsx", b"x" * 2048),
            "unit": world.units.caoloc.pk,
            "as_of": "31/12/2024",
        },
    )
    assert response.status_code == 200 and "vượt giới hạn" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_review_actions_in_the_admin(world, tmp_path, client):
    from canbo.imports.models import ImportReview

    existing = world.people["baolam"]
    row = person_row(
        "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
    )
    run_import(write_list(tmp_path / "ds.xlsx", [row]), world.users["province"], world.units.caoloc)
    review = ImportReview.objects.get()
    client.force_login(world.users["hanoi"])  # another province: does not see the row
    assert "Lộc Thị Huyền" not in client.get("/admin/imports/importreview/").content.decode()
    client.force_login(world.users["dongdang"])  # Đồng Đăng absorbed Bảo Lâm: sees and decides it
    assert "Lộc Thị Huyền" in client.get("/admin/imports/importreview/").content.decode()
    client.post("/admin/imports/importreview/", {"action": "same_person", "_selected_action": [review.pk]})
    review.refresh_from_db()
    assert review.decision == "same_person" and review.decided_by == world.users["dongdang"]
    assert existing.assignments.filter(title__code="PCT_UBND").exists()


def test_review_page_compares_the_row_with_the_record(world, tmp_path, client):
    from canbo.imports.models import ImportReview

    existing = world.people["baolam"]
    row = person_row(
        "Lộc",
        "Thị",
        "Huyền",
        existing.birth_date,
        "female",
        "Bảo Lâm",
        "Phó Chủ tịch UBND",
        number=False,
        ethnic="Tày",
    )
    run_import(write_list(tmp_path / "ds.xlsx", [row]), world.users["province"], world.units.caoloc)
    review = ImportReview.objects.get()
    client.force_login(world.users["province"])
    html = client.get(f"/admin/imports/importreview/{review.pk}/change/").content.decode()
    assert "review-comparison" in html and existing.birth_date.strftime("%d/%m/%Y") in html
    assert 'class="differs"' in html  # Tày in the list, Nùng on record
    comparison = html[html.index("review-comparison") :]
    comparison = comparison[: comparison.index("</table>")]
    # Posts by name, not by code.
    assert "Phó Chủ tịch Ủy ban nhân dân" in comparison and "PCT_UBND" not in comparison


def test_a_review_is_decided_from_its_own_page(world, tmp_path, client):
    """The row's page offers the two decisions as buttons (its fields are read-only, so a
    "Save" button would save nothing); a decided row offers none."""
    from canbo.imports.models import ImportReview

    existing = world.people["baolam"]
    row = person_row(
        "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
    )
    run_import(write_list(tmp_path / "ds.xlsx", [row]), world.users["province"], world.units.caoloc)
    review = ImportReview.objects.get()
    client.force_login(world.users["dongdang"])
    url = f"/admin/imports/importreview/{review.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="_same_person"' in html and 'name="_new_person"' in html and 'name="_save"' not in html
    response = client.post(url, {"_same_person": "1"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == "same_person" and review.decided_by == world.users["dongdang"]
    assert existing.assignments.filter(title__code="PCT_UBND").exists()
    assert 'name="_same_person"' not in client.get(url).content.decode()


def test_upload_form_defaults_to_the_users_unit_and_refuses_a_date_outside_it(world, tmp_path, client):
    from canbo.imports.models import ImportBatch

    client.force_login(world.users["caoloc"])  # legacy Huyện Cao Lộc, ended 30/06/2025
    html = client.get("/admin/imports/importbatch/add/").content.decode()
    assert 'value="30/06/2025"' in html
    response = upload(
        client, write_list(tmp_path / "ds.xlsx", good_people()), world.units.caoloc, "01/09/2025"
    )
    assert response.status_code == 200 and "30/06/2025" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_province_officer_chooses_among_units_named_with_their_district(world, client):
    """A province has old communes of the same name in different districts (two "Xã Chi
    Lăng" in Lạng Sơn): the upload form names each commune with its district, and lists the
    province first, then the districts, then the communes."""
    import re

    client.force_login(world.users["province"])
    html = client.get("/admin/imports/importbatch/add/").content.decode()
    select = html[html.index('id="id_unit"') :]
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select[: select.index("</select>")])[1:]
    assert "Xã Bảo Lâm – Huyện Cao Lộc (đến 30/06/2025)" in labels
    assert labels[0].startswith("Tỉnh Lạng Sơn")
    first_commune = next(
        i for i, label in enumerate(labels) if label.startswith(("Xã", "Phường", "Thị trấn"))
    )
    assert all(not label.startswith(("Xã", "Phường", "Thị trấn")) for label in labels[:first_commune])
    assert any(label.startswith("Huyện") for label in labels[:first_commune])
    assert len(labels) == len(set(labels))  # no two units read alike


def test_the_list_of_imports_shows_dates_as_written_and_the_result(world, tmp_path, client):
    """The list of imports: the file (a link to its preview), the list's date dd/mm/yyyy (not
    "Ngày 31 tháng 12 năm 2024"), the result and who uploaded it."""
    from canbo.imports import services

    batch = services.copy_into_batch(
        write_list(tmp_path / "ds.xlsx", good_people()), world.units.caoloc, AS_OF, world.users["province"]
    )
    services.prepare(batch, world.users["province"])
    client.force_login(world.users["province"])
    html = client.get("/admin/imports/importbatch/").content.decode()
    assert f'href="/admin/imports/importbatch/{batch.pk}/change/">ds.xlsx<div class="help">' in html
    assert "31/12/2024" in html and "tháng 12 năm 2024" not in html
    assert "3 dòng, 0 lỗi, 0 cần xem xét" in html and world.users["province"].username in html


def test_the_kept_file_downloads_as_uploaded(world, tmp_path, client):
    from canbo.imports import services

    path = write_list(tmp_path / "ds.xlsx", good_people())
    batch = services.copy_into_batch(path, world.units.caoloc, AS_OF, world.users["province"])
    client.force_login(world.users["caoloc"])
    response = client.get(f"/admin/imports/importbatch/{batch.pk}/file/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == path.read_bytes()
    assert 'filename="ds.xlsx"' in response["Content-Disposition"]
