"""The personnel file's résumé, Mẫu 2C-BNV/2008 (issue 15 §1, §2).

Real database, the world of tests/conftest.py. What is checked: the form's new fields and
records refused with a Vietnamese message on the field for impossible input (a child born
before the parent, a discharge before the enlistment, a date in the future, a salary step
beyond its scale), their history, the person page's new sections per role; the résumé as Word
(opened with python-docx: the items, the tables of items 27, 28, 30, 31, the signature blocks)
and as PDF (its text read back through the embedded fonts' ToUnicode maps: Vietnamese intact);
a print outside the user's scope refused and recorded; the command line.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zlib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def keep(name: str, body: bytes) -> None:
    """Keep an output for looking at (``CANBO_TEST_ARTEFACTS=dir``; page 1 rendered to PNG)."""
    where = os.environ.get("CANBO_TEST_ARTEFACTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        (Path(where) / name).write_bytes(body)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --------------------------------------------------------------------------- reading a PDF


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, its escapes read."""
    out = bytearray()
    i = 0
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C and i + 1 < len(raw):  # backslash
            nxt = raw[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group(0)
                out.append(int(digits, 8) & 0xFF)
                i += 1 + len(digits)
            else:
                out.append(nxt)
                i += 2
        else:
            out.append(ch)
            i += 1
    return bytes(out)


def pdf_text(body: bytes) -> str:
    """The text of a PDF written by fpdf2 (no PDF tool is needed): each content stream's strings,
    their two-byte glyph codes mapped to Unicode through the ToUnicode CMap of the font selected
    (``/F1 10 Tf``) — so the test reads what a PDF reader would extract."""
    objects = {int(n): o for n, o in re.findall(rb"(\d+) 0 obj(.*?)endobj", body, re.S)}

    def stream(obj: bytes) -> bytes:
        m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", obj, re.S)
        if not m:
            return b""
        try:
            return zlib.decompress(m.group(1))
        except zlib.error:
            return m.group(1)

    fonts: dict[bytes, dict[bytes, str]] = {}
    for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", body):
        font = objects.get(int(num), b"")
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
        cmap: dict[bytes, str] = {}
        if to_unicode:
            for src, dst in re.findall(
                rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", stream(objects[int(to_unicode.group(1))])
            ):
                cmap[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        fonts[name] = cmap
    token = re.compile(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) ?Tj|(ET)", re.S)
    out: list[str] = []
    for obj in objects.values():
        content = stream(obj)
        if b"BT" not in content:
            continue
        cmap: dict[bytes, str] = {}
        line = ""
        for m in token.finditer(content):
            if m.group(1):
                cmap = fonts.get(m.group(1), {})
            elif m.group(3):
                pass
            else:
                raw = _literal(m.group(2))
                line += "".join(cmap.get(raw[i : i + 2], "?") for i in range(0, len(raw), 2))
                continue
            out.append(line)
            line = ""
        out.append(line)
    return "\n".join(x for x in out if x)


# --------------------------------------------------------------------------- a full file


@pytest.fixture
def filled(world):
    """Hoàng Văn Thắng (dongdang, born 01/03/1976) with every part of the résumé recorded."""
    from canbo.registry.models import Award, FamilyMember, OrganisationMembership, SalaryStep, Unit

    p = world.people["dongdang"]
    p.other_names = "Thắng Nùng"
    p.birth_place_unit = Unit.objects.get(code="06190", valid_to__isnull=False)  # legacy Bảo Lâm
    p.home_town = "thôn Bản Đâng"
    p.religion = "Phật giáo"
    p.permanent_address = "Thôn Nà Chuông, xã Đồng Đăng, tỉnh Lạng Sơn"
    p.current_address = "Thôn Nà Chuông, xã Đồng Đăng, tỉnh Lạng Sơn"
    p.recruited_occupation = "Giáo viên"
    p.recruited_on = date(2000, 9, 1)
    p.recruiting_agency = "UBND huyện Cao Lộc"
    p.main_duties = "Tư pháp - hộ tịch"
    p.enlisted_on = date(1994, 2, 1)
    p.discharged_on = date(1996, 2, 1)
    p.military_rank = "Trung sĩ"
    p.strengths = "Pháp luật, hòa giải"
    p.health_status = "Tốt"
    p.height_cm = 165
    p.weight_kg = 60
    p.blood_group = "O"
    p.social_insurance_number = "2099001234"
    p.self_history = "Không bị bắt, không làm việc trong chế độ cũ."
    p.full_clean()
    p.save()
    SalaryStep.objects.create(person=p, valid_from=date(2015, 1, 1), rank_code="01.003", step=3)
    SalaryStep.objects.create(
        person=p, valid_from=date(2018, 1, 1), rank_code="01.003", step=4, position_allowance=Decimal("0.2")
    )
    Award.objects.create(
        person=p,
        decided_on=date(2020, 12, 1),
        form="certificate",
        level="province",
        name="Bằng khen của UBND tỉnh",
    )
    OrganisationMembership.objects.create(
        person=p,
        organisation="youth_union",
        joined_on=date(1991, 3, 26),
        left_on=date(2006, 3, 1),
        role="Bí thư chi đoàn",
    )
    for relation, name, year in [
        ("father", "Hoàng Văn Pác", 1948),
        ("mother", "Lương Thị Slao", 1950),
        ("spouse", "Vi Thị Hoa", 1978),
        ("child", "Hoàng Minh Đức", 2003),
        ("spouse_father", "Vi Văn Tài", 1950),
    ]:
        FamilyMember.objects.create(
            person=p, relation=relation, full_name=name, birth_year=year, occupation="Làm ruộng"
        )
    return p


# --------------------------------------------------------------------------- bad input


def test_impossible_values_refused_on_the_field(world):
    from canbo.registry.models import FamilyMember, SalaryStep

    p = world.people["dongdang"]  # born 1976
    p.enlisted_on, p.discharged_on = date(1996, 2, 1), date(1994, 2, 1)
    p.recruited_on = date.today() + timedelta(days=3)
    with pytest.raises(ValidationError) as e:
        p.full_clean()
    assert (
        "Ngày xuất ngũ 01/02/1994 trước ngày nhập ngũ 01/02/1996" in e.value.message_dict["discharged_on"][0]
    )
    assert "ở tương lai" in e.value.message_dict["recruited_on"][0]

    child = FamilyMember(person=p, relation="child", full_name="Hoàng Văn An", birth_year=1970)
    with pytest.raises(ValidationError) as e:
        child.full_clean()
    assert "Con sinh năm 1970 không thể sinh trước" in e.value.message_dict["birth_year"][0]
    father = FamilyMember(person=p, relation="father", full_name="Hoàng Văn Bố", birth_year=1980)
    with pytest.raises(ValidationError) as e:
        father.full_clean()
    assert "Bố sinh năm 1980" in e.value.message_dict["birth_year"][0]
    FamilyMember(person=p, relation="child", full_name="Hoàng Văn An", birth_year=2001).full_clean()

    step = SalaryStep(person=p, valid_from=date(2020, 1, 1), rank_code="01.003", step=10)
    with pytest.raises(ValidationError) as e:
        step.full_clean()
    assert "Bậc 10 vượt quá thang lương của ngạch Chuyên viên" in e.value.message_dict["step"][0]
    assert "Nghị định 204/2004/NĐ-CP" in e.value.message_dict["step"][0]
    wrong = SalaryStep(
        person=p, valid_from=date(2020, 1, 1), rank_code="01.003", step=3, coefficient=Decimal("3.33")
    )
    with pytest.raises(ValidationError) as e:
        wrong.full_clean()
    assert "Hệ số lương bậc 3 ngạch Chuyên viên là 3.00" in e.value.message_dict["coefficient"][0]
    future = SalaryStep(person=p, valid_from=date.today() + timedelta(days=1), rank_code="01.003", step=3)
    with pytest.raises(ValidationError) as e:
        future.full_clean()
    assert "ở tương lai" in e.value.message_dict["valid_from"][0]
    ok = SalaryStep(person=p, valid_from=date(2020, 1, 1), rank_code="01.003", step=3)
    ok.full_clean()
    ok.save()
    assert ok.coefficient == Decimal("3.00")  # 2,34 + 2 × 0,33


def test_web_forms_refuse_bad_input_with_vietnamese_messages(world):
    p = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    r = c.post(
        f"/people/{p.pk}/family/add/",
        {"relation": "child", "full_name": "Hoàng Văn An", "birth_year": "1960"},
    )
    assert r.status_code == 200
    assert "Con sinh năm 1960 không thể sinh trước" in r.content.decode()
    assert r.context["form"].errors["birth_year"]
    r = c.post(
        f"/people/{p.pk}/salary/add/", {"valid_from": "01/01/2020", "rank_code": "01.004", "step": "11"}
    )
    assert r.status_code == 200
    assert "Bậc 11 vượt quá thang lương của ngạch Cán sự" in r.context["form"].errors["step"][0]
    r = c.post(
        f"/people/{p.pk}/salary/add/", {"valid_from": "01/01/2020", "rank_code": "01.004", "step": "2"}
    )
    assert r.status_code == 302
    assert p.salary_steps.get().coefficient == Decimal("2.41")
    assert p.salary_steps.get().history.count() == 1  # recorded with its history
    r = c.post(
        f"/people/{p.pk}/family/add/",
        {"relation": "child", "full_name": "Hoàng Văn An", "birth_year": "2001"},
    )
    assert r.status_code == 302
    history = c.get(f"/people/{p.pk}/").context["history"]
    subjects = [e.subject for e in history]
    assert "Quan hệ gia đình: Con: Hoàng Văn An" in subjects
    assert "Diễn biến lương: 01.004/2 (01/01/2020)" in subjects
    assert next(e for e in history if e.subject.startswith("Quan hệ gia đình")).who == "xa_dongdang"
    r = c.post(
        f"/people/{p.pk}/awards/add/",
        {"decided_on": "01/01/2999", "form": "certificate", "level": "province"},
    )
    assert r.status_code == 200 and r.context["form"].errors["decided_on"]


def test_profile_edit_takes_the_new_fields(world):
    from test_web_person import form_data

    p = world.people["dongdang"]
    c = client_for(world.users["province"])
    data = form_data(c.get(f"/people/{p.pk}/edit/"))
    data.update(
        {
            "birth_place_code": "06190",  # Xã Bảo Lâm: a legacy unit on the birth date (1976)
            "enlisted_on": "01/02/1996",
            "discharged_on": "01/02/1994",
            "social_insurance_number": "12345",
        }
    )
    r = c.post(f"/people/{p.pk}/edit/", data)
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "trước ngày nhập ngũ" in errors["discharged_on"][0]
    assert "10 chữ số" in errors["social_insurance_number"][0]
    data.update(
        {"discharged_on": "01/02/1998", "social_insurance_number": "2099001234", "religion": "Công giáo"}
    )
    r = c.post(f"/people/{p.pk}/edit/", data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    p.refresh_from_db()
    assert p.birth_place_unit is not None and p.birth_place_unit.valid_to is not None  # the legacy Bảo Lâm
    assert p.religion == "Công giáo"
    assert p.history.first().discharged_on == date(1998, 2, 1)
    page = c.get(f"/people/{p.pk}/").content.decode()
    assert "Xã Bảo Lâm, Huyện Cao Lộc, Tỉnh Lạng Sơn (nay là Xã Đồng Đăng" in page
    assert "2099001234" in page


def test_person_page_shows_the_records_per_role(filled, world):
    page = client_for(world.users["province"]).get(f"/people/{filled.pk}/").content.decode()
    for text in (
        "Diễn biến lương",
        "01.003",
        "Bằng khen của UBND tỉnh",
        "Đoàn Thanh niên",
        "Hoàng Minh Đức",
        "165",
    ):
        assert text in page, text
    assert "In sơ yếu lý lịch (Word)" in page
    inspector = client_for(world.users["inspector"]).get(f"/people/{filled.pk}/").content.decode()
    assert "Bằng khen của UBND tỉnh" in inspector
    assert "Hoàng Minh Đức" in inspector  # family: the inspector's work needs it
    assert "Nhóm máu" not in inspector and "Chiều cao" not in inspector  # health is not
    assert "Phật giáo" not in inspector


# --------------------------------------------------------------------------- the print


def _docx(body: bytes):
    from docx import Document

    return Document(io.BytesIO(body))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_docx_laid_out_as_the_form(filled, world):
    from canbo.access.models import FileAccess

    c = client_for(world.users["dongdang"])
    r = c.get(f"/people/{filled.pk}/resume/", {"format": "docx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    keep("so-yeu-ly-lich.docx", r.content)
    doc = _docx(r.content)
    text = _all_text(doc)
    head = doc.tables[0].rows[0].cells
    assert "Cơ quan, đơn vị có thẩm quyền quản lý CBCC: UBND tỉnh Lạng Sơn" in head[0].text
    assert "Cơ quan, đơn vị sử dụng CBCC: UBND xã Đồng Đăng" in head[0].text
    assert head[1].text.strip() == "Mẫu 2C-BNV/2008"
    assert "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC" in [p.text for p in doc.paragraphs]
    photo, items = doc.tables[1].rows[0].cells
    assert "Ảnh màu" in photo.text and "4 x 6 cm" in photo.text
    assert "1) Họ và tên khai sinh (viết chữ in hoa): HOÀNG VĂN THẮNG" in items.text
    assert "2) Tên gọi khác: Thắng Nùng" in items.text
    assert "3) Sinh ngày: 01 tháng 03 năm 1976, Giới tính (nam, nữ): Nam" in items.text
    assert (
        "4) Nơi sinh: Xã Bảo Lâm, Huyện Cao Lộc, Tỉnh Lạng Sơn (nay là Xã Đồng Đăng, Tỉnh Lạng Sơn)"
        in items.text
    )
    assert "5) Quê quán: thôn Bản Đâng" in items.text
    paragraphs = [p.text for p in doc.paragraphs]
    assert "6) Dân tộc: Nùng, Tôn giáo: Phật giáo" in paragraphs
    assert "10) Nghề nghiệp khi được tuyển dụng: Giáo viên" in paragraphs
    assert "11) Ngày tuyển dụng: 01/09/2000, Cơ quan tuyển dụng: UBND huyện Cao Lộc" in paragraphs
    assert any(
        p.startswith("12) Chức vụ (chức danh) hiện tại") and world.titles["CV_TP"].name in p
        for p in paragraphs
    )
    assert (
        "14) Ngạch công chức (viên chức): Chuyên viên, Mã ngạch: 01.003, Bậc lương: 4, Hệ số: 3,33, "
        "Ngày hưởng: 01/01/2018, Phụ cấp chức vụ: 0,20, Phụ cấp khác: …"
    ) in paragraphs
    assert any(p.startswith("15.2) Trình độ chuyên môn cao nhất") and "Luật" in p for p in paragraphs)
    assert any(p.startswith("15.3) Lý luận chính trị") for p in paragraphs)
    assert "17) Ngày tham gia tổ chức chính trị - xã hội" in text and "26/03/1991: Đoàn Thanh niên" in text
    assert (
        "18) Ngày nhập ngũ: 01/02/1994, Ngày xuất ngũ: 01/02/1996, Quân hàm cao nhất: Trung sĩ" in paragraphs
    )
    assert (
        "21) Khen thưởng (hình thức cao nhất, năm nào): Bằng khen của UBND tỉnh (Bộ, ngành, tỉnh), năm 2020"
        in paragraphs
    )
    assert any(p.startswith("22) Kỷ luật") and "năm 2019" in p for p in paragraphs)
    assert "23) Tình trạng sức khỏe: Tốt, Chiều cao: 165 cm, Cân nặng: 60 kg, Nhóm máu: O" in paragraphs
    assert f"25) Số căn cước (chứng minh nhân dân): {filled.identity_number}" in text
    assert "26) Số sổ BHXH: 2099001234" in paragraphs

    # Item 27 (training), 28 (work), 30 (family a, b), 31 (salary), 32 (assessment), signatures.
    tables = doc.tables
    training = next(t for t in tables if t.rows[0].cells[0].text == "Tên trường")
    rows = [[c.text for c in r.cells] for r in training.rows[1:]]
    assert any("Luật" in r[1] and "06/2010" in r[2] for r in rows)
    assert any(
        r[1] == "Trung cấp lý luận chính trị - hành chính" and r[2] == "09/2021 - 06/2022" for r in rows
    )
    work = next(t for t in tables if t.rows[0].cells[0].text == "Từ tháng, năm đến tháng, năm")
    assert any(
        r.cells[0].text == "07/2025 - nay" and world.titles["CV_TP"].name in r.cells[1].text
        for r in work.rows
    )
    family = [t for t in tables if t.rows[0].cells[0].text == "Mối quan hệ"]
    assert len(family) == 2
    own = [[c.text for c in r.cells] for r in family[0].rows[1:]]
    assert ["Con", "Hoàng Minh Đức", "2003", "Làm ruộng"] in own
    assert any(r[1] == "Hoàng Văn Pác" for r in own)
    spouse_side = [[c.text for c in r.cells] for r in family[1].rows[1:]]
    assert spouse_side[0][:3] == ["Bố vợ (bố chồng)", "Vi Văn Tài", "1950"]
    salary = next(t for t in tables if t.rows[0].cells[0].text == "Tháng/năm")
    assert [c.text for c in salary.rows[0].cells][:3] == ["Tháng/năm", "01/2015", "01/2018"]
    assert [c.text for c in salary.rows[1].cells][:3] == ["Mã ngạch/bậc", "01.003/3", "01.003/4"]
    assert [c.text for c in salary.rows[2].cells][:3] == ["Hệ số lương", "3,00", "3,33"]
    assert "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC" in paragraphs
    assert "29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN" in paragraphs
    assert "Không bị bắt, không làm việc trong chế độ cũ." in paragraphs
    signatures = tables[-1].rows[0].cells
    assert "Người khai" in signatures[0].text and "Tôi xin cam đoan" in signatures[0].text
    assert "Lạng Sơn, ngày … tháng … năm 20…" in signatures[1].text
    assert "Thủ trưởng cơ quan, đơn vị quản lý và sử dụng CBCC" in signatures[1].text
    assert "xa_dongdang" in doc.sections[0].footer.paragraphs[0].text
    # The print is recorded.
    log = FileAccess.objects.filter(person=filled).order_by("-pk").first()
    assert log.action == "print" and log.username == "xa_dongdang" and "(docx)" in log.what


def test_pdf_has_the_items_in_vietnamese(filled, world):
    c = client_for(world.users["province"])
    r = c.get(f"/people/{filled.pk}/resume/", {"format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert b"/FontFile2" in r.content  # the font is embedded
    keep("so-yeu-ly-lich.pdf", r.content)
    text = pdf_text(r.content)
    for expected in (
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
        "Mẫu 2C-BNV/2008",
        "HOÀNG VĂN THẮNG",
        "Quê quán",
        "Xã Bảo Lâm, Huyện Cao Lộc, Tỉnh Lạng Sơn",
        "Phật giáo",
        "Hoàng Minh Đức",
        "01.003/4",
        "Người khai",
        "Thủ trưởng cơ quan, đơn vị quản lý và sử",  # the line wraps in its half of the page
        "ĐÀO TẠO, BỒI DƯỠNG",
    ):
        assert expected in text, expected


def test_sensitive_items_left_out_for_the_inspector(filled, world):
    r = client_for(world.users["inspector"]).get(f"/people/{filled.pk}/resume/", {"format": "docx"})
    assert r.status_code == 200
    text = _all_text(_docx(r.content))
    assert "Phật giáo" not in text and "Nhóm máu: O" not in text
    assert "Tôn giáo: (không hiển thị" in text
    assert "Các mục không in vì người in không có quyền xem: 7, 23, 24." in text
    assert "Hoàng Minh Đức" in text  # family is the inspector's to read


def test_print_outside_the_scope_refused_and_recorded(filled, world):
    from canbo.access.models import FileAccess

    hanoi = client_for(world.users["hanoi"])
    r = hanoi.get(f"/people/{filled.pk}/resume/", {"format": "pdf"})
    assert r.status_code == 404
    log = FileAccess.objects.filter(username="sonoivu_hanoi").order_by("-pk").first()
    assert log.action == "refused" and log.person_id == filled.pk
    # An unknown format: 400, in Vietnamese.
    r = client_for(world.users["province"]).get(f"/people/{filled.pk}/resume/", {"format": "exe"})
    assert r.status_code == 400 and "chọn docx hoặc pdf" in r.content.decode()


def test_command_line(filled, world, tmp_path):
    from canbo.access.models import FileAccess

    out = tmp_path / "ly-lich.docx"
    call_command("resume", person=filled.pk, format="docx", output=str(out))
    assert "HOÀNG VĂN THẮNG" in _all_text(_docx(out.read_bytes()))
    pdf = tmp_path / "ly-lich.pdf"
    call_command("resume", person=filled.pk, format="pdf", output=str(pdf), user="xa_dongdang")
    assert "HOÀNG VĂN THẮNG" in pdf_text(pdf.read_bytes())
    with pytest.raises(CommandError, match="ngoài phạm vi"):
        call_command("resume", person=filled.pk, format="pdf", output=str(pdf), user="sonoivu_hanoi")
    assert FileAccess.objects.filter(username="sonoivu_hanoi", action="refused", person=filled).exists()
    with pytest.raises(CommandError, match="Không có hồ sơ"):
        call_command("resume", person=999999, format="pdf", output=str(pdf))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")
def test_pdf_read_by_poppler(filled, world, tmp_path):
    """The same PDF as a reader sees it: poppler extracts the Vietnamese words intact."""
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(client_for(world.users["province"]).get(f"/people/{filled.pk}/resume/").content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
        "HOÀNG VĂN THẮNG",
        "Tôn giáo: Phật giáo",
        "Hoàng Minh Đức",
    ):
        assert expected in text, expected


# --------------------------------------------------------------------------- synthetic items (§6)


def test_synthetic_items_pass_the_models_rules(world):
    """The generator's résumé items (canbo.registry.generate.fill_resume_items) written for the
    world's people: every person and record passes its model's validation."""
    from canbo.registry.generate import fill_resume_items
    from canbo.registry.models import Award, FamilyMember, OrganisationMembership, Person, SalaryStep

    counts = fill_resume_items(seed=2005, end=date.today())
    assert counts["familymember"] >= 2 * Person.objects.count()
    assert counts["salarystep"] > 0 and counts["organisationmembership"] > 0
    for person in Person.objects.all():
        person.full_clean()
        assert person.blood_group and person.social_insurance_number and person.permanent_address
    for model in (FamilyMember, SalaryStep, Award, OrganisationMembership):
        for record in model.objects.select_related("person"):
            record.full_clean()
    # The résumé of a generated person prints its family and salary.
    p = world.people["dongdang"]
    r = client_for(world.users["province"]).get(f"/people/{p.pk}/resume/", {"format": "docx"})
    text = _all_text(_docx(r.content))
    assert FamilyMember.objects.filter(person=p, relation="father").get().full_name in text
    assert "Hoàng Văn" in text


# --------------------------------------------------------------------------- a commune's résumés


def test_a_communes_resumes_in_one_zip_as_a_job(filled, world):
    """The officer of new Xã Đồng Đăng prints the résumés of every file the commune keeps (its own
    and merged Bảo Lâm's): a job whose zip holds one Word file each, every print recorded; the
    same asked for a commune outside the scope is refused, a district is not a commune."""
    import zipfile

    from canbo.access.models import FileAccess
    from canbo.jobs import services as jobs
    from canbo.jobs.models import JobStatus

    user = world.users["dongdang"]
    job = jobs.submit_resumes(user, unit=world.units.dongdang, fmt="docx", inline=True)
    assert job.status == JobStatus.DONE, job.message
    assert "2 người" in job.message
    with zipfile.ZipFile(job.result_file.open("rb")) as archive:
        names = archive.namelist()
        assert len(names) == 2 and all(n.endswith(".docx") for n in names)
        texts = [_all_text(_docx(archive.read(n))) for n in names]
    assert any("HOÀNG VĂN THẮNG" in t for t in texts) and any("LỘC THỊ HUYỀN" in t for t in texts)
    logged = FileAccess.objects.filter(username="xa_dongdang", action="print", what__contains=f"#{job.pk}")
    assert {e.person_id for e in logged} == {world.people["dongdang"].pk, world.people["baolam"].pk}

    with pytest.raises(jobs.JobRefused):
        jobs.submit_resumes(world.users["hanoi"], unit=world.units.dongdang, fmt="pdf", inline=True)
    with pytest.raises(ValidationError, match="theo từng xã"):
        jobs.submit_resumes(world.users["province"], unit=world.units.caoloc, fmt="pdf", inline=True)
    # From the unit page: a POST that queues the job and leads to its page.
    r = client_for(user).post(f"/units/{world.units.dongdang.pk}/resumes/", {"format": "pdf"})
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    assert (
        client_for(world.users["hanoi"]).post(f"/units/{world.units.dongdang.pk}/resumes/").status_code == 404
    )


def test_a_change_through_the_api_keeps_the_resume_items(filled, world):
    """The API does not carry the résumé's items: a change of another field keeps them (the
    birthplace's unit, the blood group) and the answer names none of them."""
    import json

    from test_api import bearer, make_token_on_the_page

    token = make_token_on_the_page(world.users["province"])
    read = Client().get(f"/api/people/{filled.pk}", **bearer(token))
    assert "blood_group" not in read.json() and "birth_place_unit" not in read.json()
    unit = filled.birth_place_unit
    response = Client().patch(
        f"/api/people/{filled.pk}",
        json.dumps({"notes": "Qua API"}),
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        **bearer(token),
    )
    assert response.status_code == 200, response.content
    filled.refresh_from_db()
    assert filled.notes == "Qua API" and filled.birth_place_unit == unit and filled.blood_group == "O"
