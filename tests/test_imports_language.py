"""The import preview speaks the officer's language (DESIGN principle 8; issue 9 §1): each
change "old → new" is written in the language of the page it is prepared on — the field, the
empty value ("(trống)" / "(empty)"), a post held and ended ("đang giữ → kết thúc …" / "held →
ended …"). Vietnamese stays the default (the other import tests check its words)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from import_lists import good_people, write_list


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_import(path, user, unit, as_of, commit=True):
    from canbo.imports import services

    batch = services.copy_into_batch(Path(path), unit, as_of, user)
    preview = services.prepare(batch, user, today=date(2026, 11, 27))
    if commit and preview.ok:
        services.commit(batch, preview, user)
    return preview


def test_the_preview_changes_are_written_in_english_for_an_english_page(world, tmp_path):
    from canbo.registry.models import Person

    user = world.users["province"]
    run_import(
        write_list(tmp_path / "a.xlsx", good_people(number=False)),
        user,
        world.units.caoloc,
        date(2024, 12, 31),
    )
    nam = Person.objects.get(family_name="Hoàng", given_name="Nam")
    second = good_people(number=False)
    second[0]["title"] = "Phó Chủ tịch UBND"
    with translation.override("en"):
        preview = run_import(
            write_list(tmp_path / "b.xlsx", second), user, world.units.caoloc, date(2025, 3, 31), commit=False
        )
        shown = [c for d in preview.decisions if d.person_id == nam.pk for c in d.shown()]

    [ended] = [c for c in shown if c[1] == "held"]
    assert ended[0] == "Chủ tịch Ủy ban nhân dân, Xã Bảo Lâm (from 31/12/2024)"
    assert ended[2] == "ended 30/03/2025 (Transfer to another post)"
    [added] = [c for c in shown if c[2].startswith("+ Phó Chủ tịch")]
    assert added[0] == "title" and added[1] == ""
    assert added[2].endswith(", Xã Bảo Lâm (from 31/03/2025)")


def test_an_empty_value_reads_empty_in_english(world):
    from canbo.imports.matching import shown_value

    with translation.override("en"):
        assert shown_value("identity_number", None) == "(empty)"
        assert shown_value("is_party_member", True) == "yes"
    with translation.override("vi"):
        assert shown_value("identity_number", None) == "(trống)"
        assert shown_value("is_party_member", False) == "không"


def test_the_upload_form_reads_and_writes_dd_mm_yyyy_in_english():
    """The upload form says "dd/mm/yyyy" in both languages; in English it refused 31/03/2025
    ("Enter a valid date": English's own formats are month first) and wrote today ISO-style."""
    from canbo.imports.admin import UploadForm

    field = UploadForm.base_fields["as_of"]
    with translation.override("en"):
        assert field.clean("31/03/2025") == date(2025, 3, 31)
        assert field.widget.format_value(date(2025, 3, 31)) == "31/03/2025"
    with translation.override("vi"):
        assert field.clean("31/03/2025") == date(2025, 3, 31)
        assert field.widget.format_value(date(2025, 3, 31)) == "31/03/2025"


def test_sex_and_ethnic_group_read_by_their_labels_in_either_language(world):
    from canbo.imports.matching import shown_value

    with translation.override("en"):
        assert shown_value("sex", "female") == "Female"
        assert shown_value("ethnicity", "07") == "Nùng"
    with translation.override("vi"):
        assert shown_value("sex", "female") == "Nữ"
        assert shown_value("ethnicity", "02") == "Tày"
        assert shown_value("ethnicity", "99") == "99"  # no such code: shown as stored
