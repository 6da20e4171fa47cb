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
