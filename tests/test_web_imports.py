"""The web application's import pages (issue 10 §1): upload → preview → commit as a unit
officer, the batches and the rows held for review, refusals (a unit outside the scope, a file
too big, not Excel or corrupt) — against real .xlsx files, the real units of Lạng Sơn and the
real database."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from import_lists import good_people, person_row, write_list

AS_OF = "31/12/2025"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def dongdang_people():
    """Two people of new Xã Đồng Đăng (the unit of officer ``dongdang``)."""
    return [
        person_row(
            "Triệu", "Văn", "Sơn", date(1982, 4, 9), "male", "Xã Đồng Đăng", "Chủ tịch UBND", serial=11
        ),
        person_row(
            "Hà", "Thị", "Lan", date(1990, 8, 21), "female", "Đồng Đăng", "Phó Chủ tịch UBND", serial=12
        ),
    ]


def post_upload(client, path, unit, as_of=AS_OF, **extra):
    with open(path, "rb") as fh:
        return client.post("/import/upload/", {"file": fh, "unit": unit.pk, "as_of": as_of}, **extra)


def test_a_unit_officer_uploads_previews_and_commits(world, tmp_path, client):
    from canbo.access.models import FileAccess
    from canbo.imports.models import ImportBatch
    from canbo.registry.models import Person

    user = world.users["dongdang"]
    client.force_login(user)
    form = client.get("/import/upload/")
    html = form.content.decode()
    assert form.status_code == 200
    # Only units of the officer's scope are offered, their own preselected.
    assert f'<option value="{world.units.dongdang.pk}" selected>' in html
    assert (
        f'value="{world.units.kylua.pk}"' not in html and f'value="{world.units.hn_commune.pk}"' not in html
    )
    assert 'hx-indicator="#upload-busy"' in html and 'id="upload-busy"' in html

    response = post_upload(client, write_list(tmp_path / "ds.xlsx", dongdang_people()), world.units.dongdang)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response.url == f"/import/{batch.pk}/" and batch.uploaded_by == user
    preview = client.get(response.url)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="commit-form"' in html and 'id="unit-counts"' in html
    counts = html[html.index('id="unit-counts"') : html.index("</table>", html.index('id="unit-counts"'))]
    assert "Xã Đồng Đăng" in counts and ">2<" in counts  # the two rows, by commune
    assert not Person.objects.filter(given_name__in=["Sơn", "Lan"]).exists()  # nothing written yet

    done = client.post(f"/import/{batch.pk}/commit/", {"fingerprint": batch.summary["fingerprint"]})
    assert done.status_code == 302 and done.url == f"/import/{batch.pk}/"
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.committed_by == user
    assert set(Person.objects.filter(given_name__in=["Sơn", "Lan"]).values_list("given_name", flat=True)) == {
        "Sơn",
        "Lan",
    }
    after = client.get(done.url).content.decode()
    assert "Đã ghi: 2 hồ sơ mới" in after and 'id="written"' in after and 'id="commit-form"' not in after
    # The list of batches shows it, committed.
    listing = client.get("/import/").content.decode()
    assert f'href="/import/{batch.pk}/"' in listing and "ds.xlsx" in listing and "Đã nhập" in listing
    # A second commit writes nothing more and says so.
    before = Person.objects.count()
    client.post(f"/import/{batch.pk}/commit/")
    assert Person.objects.count() == before
    assert FileAccess.objects.filter(user=user).count() == 0  # no changes to people on record: nothing read


def test_htmx_upload_redirects_by_header_and_shows_errors_in_place(world, tmp_path, client):
    from canbo.imports.models import ImportBatch

    client.force_login(world.users["dongdang"])
    path = write_list(tmp_path / "ds.xlsx", dongdang_people())
    response = post_upload(client, path, world.units.dongdang, HTTP_HX_REQUEST="true")
    batch = ImportBatch.objects.get()
    assert response.status_code == 204 and response["HX-Redirect"] == f"/import/{batch.pk}/"
    bad = client.post(
        "/import/upload/",
        {"file": SimpleUploadedFile("ds.csv", b"a,b\n"), "unit": world.units.dongdang.pk, "as_of": AS_OF},
        HTTP_HX_REQUEST="true",
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and html.lstrip().startswith("<form") and "<html" not in html
    assert "Chỉ nhận tệp Excel .xlsx hoặc .xls" in html


def test_the_commit_writes_what_the_preview_showed_and_refuses_a_changed_file(world, tmp_path, client):
    from canbo.imports.models import ImportBatch
    from canbo.registry.models import Person

    client.force_login(world.users["dongdang"])
    post_upload(client, write_list(tmp_path / "ds.xlsx", dongdang_people()), world.units.dongdang)
    batch = ImportBatch.objects.get()
    # The stored file changes after the preview (replaced on disk): the commit is refused.
    other = write_list(tmp_path / "other.xlsx", dongdang_people()[:1])
    with batch.file.open("wb") as fh:
        fh.write(other.read_bytes())
    before = Person.objects.count()
    response = client.post(
        f"/import/{batch.pk}/commit/", {"fingerprint": batch.summary["fingerprint"]}, follow=True
    )
    assert Person.objects.count() == before
    batch.refresh_from_db()
    assert batch.status != "committed"
    assert "đã bị thay đổi sau khi tải lên" in response.content.decode()


def test_the_preview_lists_problems_changes_and_restored_id_numbers(world, tmp_path, client):
    from canbo.imports import services
    from canbo.imports.models import ImportBatch

    user = world.users["province"]
    client.force_login(user)
    people = good_people()
    first = services.copy_into_batch(
        write_list(tmp_path / "a.xlsx", people), world.units.caoloc, date(2024, 12, 31), user
    )
    services.commit(first, services.prepare(first, user), user)
    for p in people:
        p["ethnic"] = "Dao"
    people[0]["id_as_number"] = True
    people[1]["professional"] = "Học lực khá"
    post_upload(
        client, write_list(tmp_path / "b.xlsx", people, totals=True), world.units.caoloc, "31/12/2024"
    )
    batch = ImportBatch.objects.latest("pk")
    html = client.get(f"/import/{batch.pk}/").content.decode()
    changes = html[html.index('id="changes"') : html.index("</table>", html.index('id="changes"'))]
    assert "Hoàng Văn Nam" in changes and "Tày" in changes and "Dao" in changes  # old → new per person
    doubts = html[html.index('id="doubts"') : html.index('id="problems"')]
    assert 'id="doubt-identity_number_as_number"' in doubts and people[0]["id"] in doubts
    assert 'id="doubt-unreadable_qualification"' in doubts and "Học lực khá" in doubts
    assert "Tổng cộng: 3 người" in doubts
    assert html.index('id="commit-form"') > html.index('id="problems"')
    from canbo.access.models import FileAccess

    assert FileAccess.objects.filter(
        user=user, action="view", what__startswith=f"import #{batch.pk}"
    ).exists()


def test_a_list_with_errors_offers_no_commit(world, tmp_path, client):
    from canbo.imports.models import ImportBatch
    from canbo.registry.models import Person

    client.force_login(world.users["dongdang"])
    people = dongdang_people()
    people[0]["born"] = "1/1/2031"
    post_upload(client, write_list(tmp_path / "ds.xlsx", people), world.units.dongdang)
    batch = ImportBatch.objects.get()
    html = client.get(f"/import/{batch.pk}/").content.decode()
    assert batch.status == "refused" and 'id="commit-form"' not in html and 'id="refused"' in html
    problems = html[html.index('id="problems"') :]
    assert "2031" in problems and "Lỗi" in problems
    before = Person.objects.count()
    client.post(f"/import/{batch.pk}/commit/")
    assert Person.objects.count() == before


def test_a_unit_outside_the_scope_is_refused(world, tmp_path, client):
    from canbo.imports.models import ImportBatch

    client.force_login(world.users["dongdang"])
    path = write_list(tmp_path / "ds.xlsx", dongdang_people())
    for unit in (world.units.kylua, world.units.hn_commune, world.units.caoloc):
        response = post_upload(client, path, unit)
        assert response.status_code == 400
        assert (
            "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
            or "hợp lệ" in response.content.decode()
        )
    assert not ImportBatch.objects.exists()


def test_batches_outside_the_scope_are_404(world, tmp_path, client):
    from canbo.imports import services

    batch = services.copy_into_batch(
        write_list(tmp_path / "ds.xlsx", good_people()),
        world.units.caoloc,
        date(2024, 12, 31),
        world.users["province"],
    )
    services.prepare(batch, world.users["province"])
    client.force_login(world.users["dongdang"])
    assert client.get(f"/import/{batch.pk}/").status_code == 404
    assert client.post(f"/import/{batch.pk}/commit/").status_code == 404
    assert client.get(f"/import/{batch.pk}/file/").status_code == 404
    assert f"/import/{batch.pk}/" not in client.get("/import/").content.decode()
    client.force_login(world.users["caoloc"])
    assert client.get(f"/import/{batch.pk}/").status_code == 200
    assert client.get(f"/import/{batch.pk}/file/").status_code == 200


@pytest.mark.parametrize(
    "role, status", [("inspector", 403), ("province", 200), ("dongdang", 200), ("admin", 200)]
)
def test_who_may_open_the_import_pages(world, client, role, status):
    client.force_login(world.users[role])
    for url in ("/import/", "/import/upload/", "/import/reviews/"):
        assert client.get(url).status_code == status, url


def test_anonymous_goes_to_login(world, client):
    response = client.get("/import/upload/")
    assert response.status_code == 302 and "/login/" in response.url


def test_a_file_too_big_is_refused_with_a_message(world, client, settings):
    from canbo.imports.models import ImportBatch

    settings.CANBO_IMPORT_MAX_BYTES = 1024
    client.force_login(world.users["dongdang"])
    # Within the body margin: the form's own check.
    response = client.post(
        "/import/upload/",
        {
            "file": SimpleUploadedFile("lon.xlsx", b"x" * 2048),
            "unit": world.units.dongdang.pk,
            "as_of": AS_OF,
        },
    )
    assert (
        response.status_code == 400 and "nặng 2,0\xa0KB, vượt giới hạn 1,0\xa0KB" in response.content.decode()
    )
    # Far above: refused on the request's length, before the body is read.
    response = client.post(
        "/import/upload/",
        {
            "file": SimpleUploadedFile("lon.xlsx", b"x" * 200_000),
            "unit": world.units.dongdang.pk,
            "as_of": AS_OF,
        },
    )
    assert response.status_code == 413 and 'id="too-big"' in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("ds.csv", b"a,b\n1,2\n", "Chỉ nhận tệp Excel .xlsx hoặc .xls"),
        ("ds.docx", b"PK\x03\x04 not really", "Chỉ nhận tệp Excel .xlsx hoặc .xls"),
    ],
)
def test_a_file_that_is_not_excel_is_refused_with_a_message(world, client, name, content, expected):
    client.force_login(world.users["dongdang"])
    response = client.post(
        "/import/upload/",
        {"file": SimpleUploadedFile(name, content), "unit": world.units.dongdang.pk, "as_of": AS_OF},
    )
    assert response.status_code == 400 and expected in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01garbage" * 100, b"PK\x03\x04" + b"\x00" * 300, "Họ và tên;Ngày sinh\n".encode()],
)
def test_a_corrupt_workbook_gets_a_vietnamese_message_not_a_500(world, client, content):
    from canbo.imports.models import ImportBatch

    client.force_login(world.users["dongdang"])
    response = client.post(
        "/import/upload/",
        {"file": SimpleUploadedFile("ds.xlsx", content), "unit": world.units.dongdang.pk, "as_of": AS_OF},
        follow=True,
    )
    html = response.content.decode()
    batch = ImportBatch.objects.get()
    assert response.status_code == 200 and batch.status == "refused"
    assert 'id="refused"' in html and 'id="commit-form"' not in html
    problems = html[html.index('id="problems"') :]
    assert "tệp" in problems.lower() and batch.problems[0]["message_vi"] in problems


def test_an_out_of_range_list_date_is_refused(world, tmp_path, client):
    client.force_login(world.users["province"])
    path = write_list(tmp_path / "ds.xlsx", good_people())
    response = post_upload(client, path, world.units.p20_old, "31/12/2004")
    assert response.status_code == 400 and "nằm ngoài khoảng cho phép" in response.content.decode()


def test_the_template_of_a_unit_in_scope(world, client):
    import openpyxl

    client.force_login(world.users["dongdang"])
    response = client.get("/import/template/", {"unit": world.units.dongdang.pk})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert any("ướng dẫn" in name for name in wb.sheetnames)
    assert client.get("/import/template/", {"unit": world.units.kylua.pk}).status_code == 400


def test_rows_held_for_review_and_the_decision(world, tmp_path, client):
    from canbo.imports.models import ImportBatch, ImportReview, ReviewDecision

    user = world.users["dongdang"]
    client.force_login(user)
    existing = world.people["baolam"]  # Lộc Thị Huyền, of legacy Bảo Lâm (now in new Đồng Đăng)
    row = person_row(
        "Lộc",
        "Thị",
        "Huyền",
        existing.birth_date,
        "female",
        "Bảo Lâm",
        "Phó Chủ tịch UBND",
        number=False,
    )
    # A list of legacy Xã Bảo Lâm (merged into new Đồng Đăng) as of its last year.
    post_upload(client, write_list(tmp_path / "ds.xlsx", [row]), world.units.baolam, "31/12/2024")
    batch = ImportBatch.objects.get()
    client.post(f"/import/{batch.pk}/commit/")
    review = ImportReview.objects.get()
    assert review.candidate == existing
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert f'href="/import/reviews/?batch={batch.pk}"' in page
    listing = client.get("/import/reviews/", {"batch": batch.pk}).content.decode()
    assert "Lộc Thị Huyền" in listing and "Chờ xem xét" in listing
    detail = client.get(f"/import/reviews/{review.pk}/").content.decode()
    assert 'id="comparison"' in detail and 'id="review-decision"' in detail
    # Outside the scope: 404 for the province of Hà Nội.
    client.force_login(world.users["hanoi"])
    assert client.get(f"/import/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/import/reviews/{review.pk}/", {"decision": "new_person"}).status_code == 404
    assert "Lộc Thị Huyền" not in client.get("/import/reviews/").content.decode()
    # The officer decides: the same person.
    client.force_login(user)
    posts = existing.assignments.count()
    response = client.post(f"/import/reviews/{review.pk}/", {"decision": "same_person"}, follow=True)
    review.refresh_from_db()
    assert review.decision == ReviewDecision.SAME_PERSON and review.person == existing
    assert existing.assignments.count() == posts + 1
    assert (
        "Là cùng một người" in response.content.decode()
        and 'id="review-decision"' not in response.content.decode()
    )
    # Deciding again changes nothing; a forged decision is a 400.
    client.post(f"/import/reviews/{review.pk}/", {"decision": "new_person"})
    review.refresh_from_db()
    assert review.decision == ReviewDecision.SAME_PERSON
    assert client.post(f"/import/reviews/{review.pk}/", {"decision": "merge_all"}).status_code == 400


def test_bad_paging_input_is_400(world, client):
    client.force_login(world.users["dongdang"])
    assert client.get("/import/", {"page": "x"}).status_code == 400
    assert client.get("/import/reviews/", {"batch": "1; drop"}).status_code == 400
