"""Every column a list carries is kept (issue 9 §2): for each column the reader recognises, a
value read is a value stored — a real workbook is read by the core reader, committed through the
adapter, the people loaded back from the database and compared field by field with what the
reader read. Columns the reader does not recognise are stored verbatim on the person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from importing_fixtures import SheetSpec, build_xlsx

from canbo.core.identity import make_identity_number
from canbo.core.importing.layout import FIELD_LABELS
from canbo.core.importing.model import PersonRow

AS_OF = date(2024, 12, 31)
TODAY = date(2026, 11, 27)

#: Recognised columns that carry nothing to store: the row number.
NOT_STORED = {"stt"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def wide_list() -> bytes:
    """Every single-column field, Party admission split into probation / full membership under
    one merged header, the qualifications under "Trình độ", and a column canbo does not read."""
    h0 = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số định danh cá nhân",
        "Dân tộc",
        "Tôn giáo",
        "Quê quán",
        "Đảng viên",
        "Ngày vào Đảng",
        "",
        "Xã, phường",
        "Chức danh",
        "Ngày bổ nhiệm",
        "Trình độ",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Ghi chú",
        "Hệ số lương",
    ]
    h1 = [
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Dự bị",
        "Chính thức",
        "",
        "",
        "",
        "Văn hóa",
        "Chuyên môn",
        "Chuyên ngành",
        "LLCT",
        "QLNN",
        "Tin học",
        "Ngoại ngữ",
        "Tiếng dân tộc",
        "",
        "",
    ]
    rows = [
        h0,
        h1,
        [
            1,
            "Hoàng Văn Nam",
            date(1980, 5, 17),
            "Nam",
            make_identity_number(20, 1980, "male", 701),
            "Tày",
            "Phật giáo",
            "Xã Hợp Thành, huyện Cao Lộc",
            "x",
            date(2005, 3, 12),
            date(2006, 3, 12),
            "Xã Bảo Lâm",
            "Chủ tịch UBND",
            date(2021, 7, 1),
            "12/12",
            "Đại học",
            "Luật",
            "Trung cấp",
            "Chuyên viên",
            "Tin học B",
            "Anh B",
            "Chứng chỉ tiếng Tày",
            "Chuyển từ xã Hợp Thành",
            "2,34",
        ],
        [
            2,
            "Lương Thị Hoa",
            "1988",
            "Nữ",
            make_identity_number(20, 1988, "female", 702),
            "Kinh",
            "Không",
            "",
            "",
            "",
            "",
            "Thanh Lòa",
            "Tư pháp - hộ tịch",
            "01/09/2019",
            "12/12",
            "Cao đẳng",
            "Kế toán",
            "Sơ cấp",
            "",
            "",
            "",
            "",
            "",
            "3,00",
        ],
    ]
    merges = [(0, c, 1, c) for c in (*range(9), 11, 12, 13, 22, 23)] + [(0, 9, 0, 10), (0, 14, 0, 21)]
    return build_xlsx(SheetSpec("DS CBCC", rows, merges, text_columns=[4]))


def split_list() -> bytes:
    """Family and middle name in one column, the given name in another; the birth date in day,
    month and year columns; sex as marks under Nam | Nữ; Party as a word."""
    h0 = ["STT", "Họ và tên đệm", "Tên", "Ngày sinh", "", "", "Giới tính", "", "Xã", "Chức danh", "Đảng viên"]
    h1 = ["", "", "", "Ngày", "Tháng", "Năm", "Nam", "Nữ", "", "", ""]
    rows = [
        h0,
        h1,
        [1, "Vy Văn", "Đức", 3, 4, 1979, "x", "", "Xã Bảo Lâm", "Văn phòng - thống kê", "Đảng viên"],
    ]
    merges = [
        (0, 0, 1, 0),
        (0, 1, 1, 1),
        (0, 2, 1, 2),
        (0, 3, 0, 5),
        (0, 6, 0, 7),
        (0, 8, 1, 8),
        (0, 9, 1, 9),
        (0, 10, 1, 10),
    ]
    return build_xlsx(SheetSpec("DS", rows, merges))


def three_names_list() -> bytes:
    """Họ | Tên đệm | Tên, the birth date written under Nam or Nữ."""
    h0 = ["TT", "Họ", "Tên đệm", "Tên", "Ngày, tháng, năm sinh", "", "Đơn vị", "Chức danh"]
    h1 = ["", "", "", "", "Nam", "Nữ", "", ""]
    rows = [h0, h1, [1, "Ma", "Thị", "Mây", "", "02/11/1990", "Thanh Lòa", "Phó Chủ tịch UBND"]]
    merges = [(0, c, 1, c) for c in (0, 1, 2, 3, 6, 7)] + [(0, 4, 0, 5)]
    return build_xlsx(SheetSpec("DS", rows, merges))


LISTS = {"wide": wide_list, "split": split_list, "three_names": three_names_list}


def read_and_commit(world, tmp_path, name):
    from canbo.imports import services

    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(LISTS[name]())
    user = world.users["province"]
    batch = services.copy_into_batch(Path(path), world.units.caoloc, AS_OF, user)
    preview = services.prepare(batch, user, today=TODAY)
    assert preview.ok, [(p.code, p.message_vi) for p in preview.errors]
    services.commit(batch, preview, user)
    return preview.plan


def stored_person(row: PersonRow):
    from canbo.registry.models import Person

    if row.identity_number:
        return Person.objects.get(identity_number=row.identity_number)
    return Person.objects.get(
        family_name=row.family_name, middle_name=row.middle_name, given_name=row.given_name
    )


def check_field(field: str, row: PersonRow, person) -> None:
    """Assert that what the reader read for ``field`` is what the database holds."""
    post = person.assignments.get()
    letter = None
    if field in ("full_name", "family_name", "middle_name", "given_name", "family_middle"):
        assert (person.family_name, person.middle_name, person.given_name) == (
            row.family_name,
            row.middle_name,
            row.given_name,
        )
    elif field.startswith("birth_"):
        assert (person.birth_date, person.birth_date_precision) == (row.birth_date, row.birth_date_precision)
    elif field.startswith("sex"):
        assert person.sex == row.sex
    elif field in ("identity_number", "ethnicity", "religion", "home_town"):
        assert getattr(person, field) == (getattr(row, field) or getattr(person, field).__class__())
    elif field == "party":
        assert person.is_party_member is (row.is_party_member if row.is_party_member is not None else None)
    elif field == "party_joined_on":
        assert person.party_joined_on == row.party_joined_on
        if row.party_joined_on:
            assert person.party_joined_on_precision == row.party_joined_on_precision
    elif field == "party_official_on":
        assert person.party_confirmed_on == row.party_official_on
        if row.party_official_on:
            assert person.party_confirmed_on_precision == row.party_official_on_precision
    elif field == "unit":
        assert post.unit.code == row.unit_code and person.managing_unit.code == row.unit_code
    elif field == "title":
        assert post.title.code == row.title_code
    elif field == "post_start":
        assert post.start == (row.post_start or AS_OF)
    elif field == "notes":
        assert person.notes == row.notes
    else:
        letter = field  # a qualification column: checked below
    if letter is None:
        return
    stored = set(
        person.qualifications.values_list(
            "dimension",
            "level",
            "field_of_study",
            "study_mode",
            "is_remedial",
            "obtained_on",
            "original_text",
        )
    )
    for q in row.qualifications:
        assert (
            q.dimension,
            q.level,
            q.field_of_study or "",
            q.study_mode or "",
            q.is_remedial,
            q.obtained_on,
            (q.original_text or "")[:300],
        ) in stored, (field, q)
    assert len(stored) == len({(q.dimension, q.level, q.field_of_study or "") for q in row.qualifications})


@pytest.mark.parametrize("name", list(LISTS))
def test_every_recognised_column_read_is_stored(world, tmp_path, name):
    plan = read_and_commit(world, tmp_path, name)
    assert plan.rows
    for row in plan.rows:
        person = stored_person(row)
        for field in plan.columns:
            if field not in NOT_STORED:
                check_field(field, row, person)


def test_the_lists_cover_every_recognised_column(world, tmp_path):
    """A column the reader learns to recognise must join one of the lists above (and
    ``check_field``), or this test fails: nothing recognised may go unchecked."""
    from canbo.core.importing import read_list
    from canbo.imports.services import context_for

    context = context_for(world.units.caoloc, AS_OF, today=TODAY)
    covered = set()
    for make in LISTS.values():
        covered |= set(read_list(make(), context).columns)
    assert set(FIELD_LABELS) - covered - NOT_STORED == set()


def test_the_wide_list_values_are_the_ones_typed(world, tmp_path):
    """The comparison above against the cells themselves, so that a reader and an adapter both
    wrong the same way cannot pass."""
    read_and_commit(world, tmp_path, "wide")
    from canbo.registry.models import Person

    nam = Person.objects.get(identity_number=make_identity_number(20, 1980, "male", 701))
    assert (nam.religion, nam.home_town, nam.notes) == (
        "Phật giáo",
        "Xã Hợp Thành, huyện Cao Lộc",
        "Chuyển từ xã Hợp Thành",
    )
    assert nam.is_party_member is True and nam.party_joined_on == date(2005, 3, 12)
    assert nam.assignments.get().start == date(2021, 7, 1)
    assert nam.qualifications.filter(
        dimension="professional", level="university", field_of_study="law"
    ).exists()
    hoa = Person.objects.get(identity_number=make_identity_number(20, 1988, "female", 702))
    assert hoa.birth_date == date(1988, 1, 1) and hoa.birth_date_precision == "year"
    assert hoa.party_joined_on is None


def test_a_blank_party_cell_stores_unknown(world, tmp_path):
    from canbo.registry.models import Person

    read_and_commit(world, tmp_path, "wide")
    hoa = Person.objects.get(identity_number=make_identity_number(20, 1988, "female", 702))
    assert hoa.is_party_member is None  # a blank Party cell: not known, not "not a member"


def test_full_party_membership_date_is_stored(world, tmp_path):
    from canbo.registry.models import Person

    read_and_commit(world, tmp_path, "wide")
    nam = Person.objects.get(identity_number=make_identity_number(20, 1980, "male", 701))
    assert nam.party_confirmed_on == date(2006, 3, 12)


def test_unread_columns_are_stored_verbatim(world, tmp_path):
    from canbo.registry.models import Person

    plan = read_and_commit(world, tmp_path, "wide")
    for row in plan.rows:
        assert stored_person(row).extra_columns == (row.extra or None)
    nam = Person.objects.get(identity_number=make_identity_number(20, 1980, "male", 701))
    assert nam.extra_columns == {"Hệ số lương": "2,34"}
    assert nam.history.get().extra_columns == {"Hệ số lương": "2,34"}  # the history row too


def test_the_bulk_writer_stores_unread_columns_with_their_history(world):
    """The import's fast insert writes a person's unread columns (a JSON field) on both
    backends, and the history row carries them too."""
    from django.utils import timezone

    from canbo.imports.bulk import insert_with_history
    from canbo.registry.models import Person

    record = {
        "family_name": "Đinh",
        "middle_name": "Văn",
        "given_name": "Cột",
        "name_folded": "dinh van cot",
        "sort_name": "cot",
        "sex": "male",
        "managing_unit_id": world.units.baolam.pk,
        "extra_columns": {"Hệ số lương": "2,34", "Cột K": "ghi “đặc biệt”"},
    }
    plain = dict(record, given_name="Trống", extra_columns=None)
    ids = insert_with_history(Person, [record, plain], user_id=None, reason="test", when=timezone.now())
    stored = Person.objects.get(pk=ids[0])
    assert stored.extra_columns == {"Hệ số lương": "2,34", "Cột K": "ghi “đặc biệt”"}
    assert stored.history.get().extra_columns == stored.extra_columns
    assert Person.objects.get(pk=ids[1]).extra_columns is None
