"""The person's pages show stored values as an officer reads them (issue 9, found in the
browser): the history page writes each change "old → new" with choices by their label, dates
dd/mm/yyyy to their precision, yes/no, "(trống)" for none — never the stored codes ("01 → 07",
"None → …"); the other columns of a list are a small table, and nothing ("null") when the list
had none."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from canbo.registry.models import Person

LI = re.compile(r"<li>\s*<strong>(.*?):</strong>(.*?)</li>", re.S)


def history_changes(client, person) -> dict[str, str]:
    """The newest entry's changes on the person's history page: field label → "old → new"."""
    response = client.get(reverse("admin:registry_person_history", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    newest = page.split("<tbody>", 1)[1].split("</tr>")[0]  # the first row of the table's body
    out = {}
    for field, change in LI.findall(newest):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", change)).split())
        out[html.unescape(field).strip()] = text
    return out


@pytest.fixture
def officer(client, world):
    client.force_login(world.users["dongdang"])
    return client


def test_history_shows_labels_dates_and_empty_values_as_read(officer, world):
    person: Person = world.people["dongdang"]
    person.ethnicity = "01"  # Kinh
    person.identity_number = None
    person.birth_date, person.birth_date_precision = date(1976, 1, 1), "year"
    person.save()
    person.ethnicity = "07"  # Nùng
    person.identity_number = "020176000123"
    person.birth_date, person.birth_date_precision = date(1976, 3, 15), "day"
    person.sex = "female"
    person.is_party_member = True
    person.party_joined_on = date(2005, 5, 19)
    person.extra_columns = {"Hệ số lương": "2,34", "Ghi chú": "chuyển từ xã cũ"}
    person.save()

    changes = history_changes(officer, person)

    assert changes["Dân tộc"] == "Kinh → Nùng"
    assert changes["Số định danh cá nhân"] == "(trống) → 020176000123"
    assert changes["Ngày sinh"] == "1976 → 15/03/1976"  # the year-only date written to its precision
    assert "Độ chính xác ngày sinh" not in changes  # shown on the date's line
    assert changes["Giới tính"] == "Nam → Nữ"
    assert changes["Đảng viên"] == "(trống) → Có"
    assert changes["Ngày vào Đảng"] == "(trống) → 19/05/2005"
    # In alphabetical order of the headers, on SQLite and PostgreSQL alike (jsonb reorders keys).
    assert changes["Các cột khác của danh sách"] == "(trống) → Ghi chú: chuyển từ xã cũ; Hệ số lương: 2,34"


def test_history_shows_a_change_of_precision_alone_on_the_dates_line(officer, world):
    """A year-only birth date completed to the very day it was stored as (1/1): the date field
    is unchanged, the precision is; the line reads "1976 → 01/01/1976"."""
    person: Person = world.people["dongdang"]
    person.birth_date, person.birth_date_precision = date(1976, 1, 1), "year"
    person.save()
    person.birth_date_precision = "day"
    person.is_party_member = False
    person.save()

    changes = history_changes(officer, person)

    assert changes == {"Ngày sinh": "1976 → 01/01/1976", "Đảng viên": "(trống) → Không"}


def test_history_in_english_uses_the_english_labels(officer, world):
    person: Person = world.people["dongdang"]
    number = person.identity_number
    person.sex = "female"
    person.identity_number = None
    person.save()
    officer.cookies["django_language"] = "en"

    changes = history_changes(officer, person)

    assert changes["Sex"] == "Male → Female"
    assert changes["Personal identification number"] == f"{number} → (empty)"


def _person_page(client, person) -> str:
    response = client.get(reverse("admin:registry_person_change", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _other_columns_box(page: str) -> str:
    start = page.index("Các cột khác của danh sách")
    return page[start : page.index("</fieldset>", start)]


def test_person_page_shows_no_null_when_the_list_had_no_other_columns(officer, world):
    person: Person = world.people["dongdang"]
    assert person.extra_columns is None

    box = _other_columns_box(_person_page(officer, person))

    assert "null" not in box
    assert "(không có)" in box
    assert "<textarea" not in box


def test_person_page_shows_the_other_columns_as_a_table(officer, world):
    person: Person = world.people["dongdang"]
    person.extra_columns = {"Hệ số lương": "2,34", "Ghi chú": "<b>x</b>"}
    person.save()

    box = _other_columns_box(_person_page(officer, person))

    assert '<tr><th scope="row">Hệ số lương</th><td>2,34</td></tr>' in box
    assert '<tr><th scope="row">Ghi chú</th><td>&lt;b&gt;x&lt;/b&gt;</td></tr>' in box  # escaped
    assert "{" not in box  # not the JSON text


def test_history_writes_its_time_column_dd_mm_yyyy(officer, world):
    """The time of each entry as an officer writes dates ("07/12/2026 23:01"), not Django's
    Vietnamese long form ("23:01 Ngày 07 tháng 12 năm 2026")."""
    person: Person = world.people["dongdang"]
    person.home_town = "Đồng Đăng"
    person.save()
    entry = person.history.first()

    response = officer.get(reverse("admin:registry_person_history", args=[person.pk]))
    newest = response.content.decode().split("<tbody>", 1)[1].split("</tr>")[0]

    assert timezone.localtime(entry.history_date).strftime("%d/%m/%Y %H:%M") in newest
    assert "tháng" not in newest


def test_history_of_a_post_names_the_unit_and_the_reasons(officer, world):
    """Another model's history: a foreign key by the record's name, a choice by its label."""
    from canbo.registry.models import Assignment

    post: Assignment = world.records[Assignment]["dongdang"][0]
    post.end, post.end_reason = date(2026, 6, 30), "transfer"
    post.save()

    response = officer.get(reverse("admin:registry_assignment_history", args=[post.pk]))
    newest = response.content.decode().split("<tbody>", 1)[1].split("</tr>")[0]
    changes = {
        html.unescape(f).strip(): " ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
        for f, c in LI.findall(newest)
    }

    assert changes["Đến ngày"] == "(trống) → 30/06/2026"
    assert changes["Lý do kết thúc"] == "(trống) → Điều động, chuyển công tác"


def test_a_key_is_shown_by_its_records_name_and_a_deleted_one_as_such(world):
    from simple_history.models import DeletedObject

    from canbo.common.display import field_display
    from canbo.registry.models import Unit

    field = Person._meta.get_field("managing_unit")
    unit = world.units.dongdang
    assert field_display(field, unit.pk, lang="vi") == str(unit)
    assert field_display(field, unit, lang="vi") == str(unit)
    gone = DeletedObject(Unit, 987654)
    assert field_display(field, gone, lang="vi") == str(gone)
