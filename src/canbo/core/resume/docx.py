"""The résumé (Mẫu 2C-BNV/2008, Quyết định 02/2008/QĐ-BNV) as a Word document (python-docx):
A4 portrait, Times New Roman 12 pt as Vietnamese administrative documents are typed (Nghị định
30/2020/NĐ-CP, Phụ lục I), laid out as the form — a real document officers can edit: the items
are paragraphs, the tables Word tables, the photo box a bordered cell.
"""

from __future__ import annotations

from io import BytesIO

from . import (
    DECLARANT,
    DECLARANT_HINT,
    DECLARATION,
    FAMILY_COLUMNS,
    FORM_CODE,
    HEAD_HINT,
    HEAD_OF_BODY,
    PHOTO_TEXT,
    SALARY_ROWS,
    TITLE,
    TRAINING_COLUMNS,
    WORK_COLUMNS,
    Line,
    Resume,
    salary_blocks,
    signing_line,
)

FONT = "Times New Roman"


def _borders(cell, size: int = 8) -> None:
    """Draw the four borders of a table cell (the photo box, the assessment box)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tc_pr.append(borders)


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, space_after=2):
    from docx.shared import Pt

    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    return p


def _item(container, line: Line) -> None:
    """A numbered line: the form's words regular, the values bold."""
    from docx.shared import Pt

    p = container.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    for text, bold in line.runs:
        p.add_run(text).bold = bold


def _table(doc, header: tuple[str, ...], rows: list, widths_cm: tuple[float, ...], min_rows: int = 3):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = list(rows) or []
    while len(body) < min_rows:
        body.append(("",) * len(header))
    for row in body:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = str(value)
            for para in cells[i].paragraphs:
                for run in para.runs:
                    run.font.size = Pt(11)
    for row in table.rows:
        for i, w in enumerate(widths_cm):
            row.cells[i].width = Cm(w)
    return table


def _section_title(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = _para(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    p.paragraph_format.space_before = Pt(8)


def docx_bytes(resume: Resume) -> bytes:
    """The Word document of ``resume``."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT
    )
    core = doc.core_properties
    core.title = f"{TITLE} — {resume.declarant}" if resume.declarant else TITLE
    core.subject = FORM_CODE
    core.author = "canbo"
    if resume.printed_by:
        footer = section.footer.paragraphs[0]
        footer.text = resume.printed_by
        footer.runs[0].italic = True
        footer.runs[0].font.size = Pt(8)

    # The head: the bodies on the left, the form's code on the right.
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.width, right.width = Cm(12), Cm(5)
    left.text = ""
    _para(left, f"Cơ quan, đơn vị có thẩm quyền quản lý CBCC: {resume.managing_body or '…'}", size=11)
    _para(left, f"Cơ quan, đơn vị sử dụng CBCC: {resume.using_body or '…'}", size=11)
    right.text = ""
    _para(right, FORM_CODE, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=11)
    _para(
        doc,
        f"Số hiệu cán bộ, công chức: {resume.staff_number or '…'}",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        size=11,
    )
    _para(doc, TITLE, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)

    # The photo box beside items 1–5.
    top = doc.add_table(rows=1, cols=2)
    top.alignment = WD_TABLE_ALIGNMENT.LEFT
    photo, items = top.rows[0].cells
    photo.width, items.width = Cm(4), Cm(13)
    top.rows[0].height = Cm(6)
    photo.text = ""
    _para(photo, "\n\n" + PHOTO_TEXT, align=WD_ALIGN_PARAGRAPH.CENTER, size=10)
    _borders(photo)
    items.text = ""
    for line in resume.head:
        _item(items, line)

    for line in resume.body:
        _item(doc, line)

    _section_title(
        doc, "27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC"
    )
    _table(doc, TRAINING_COLUMNS, resume.training, (4.0, 4.0, 3.0, 2.5, 3.5))
    _para(
        doc,
        "Ghi chú: Hình thức đào tạo: Chính quy, tại chức, chuyên tu, bồi dưỡng …; Văn bằng: TSKH, TS, "
        "Ths, Cử nhân, Kỹ sư …",
        italic=True,
        size=10,
    )

    _section_title(doc, "28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC")
    _table(doc, WORK_COLUMNS, resume.work, (4.0, 13.0))

    _section_title(doc, "29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN")
    _para(
        doc,
        "- Khai rõ: bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu), đã khai báo "
        "cho ai, những vấn đề gì? Bản thân có làm việc trong chế độ cũ (cơ quan, đơn vị nào, địa điểm, "
        "chức danh, chức vụ, thời gian làm việc …)",
        italic=True,
        size=10,
    )
    _para(
        doc,
        "- Tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã hội nào ở nước ngoài (làm gì, "
        "tổ chức nào, đặt trụ sở ở đâu …?)",
        italic=True,
        size=10,
    )
    _para(doc, resume.self_history or "…")

    _section_title(doc, "30) QUAN HỆ GIA ĐÌNH")
    _para(doc, "a) Về bản thân: Cha, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột", bold=True)
    _table(doc, FAMILY_COLUMNS, resume.family_own, (3.0, 4.0, 2.0, 8.0))
    _para(doc, "b) Về bên vợ (hoặc chồng): Cha, Mẹ, anh chị em ruột", bold=True)
    _table(doc, FAMILY_COLUMNS, resume.family_spouse, (3.0, 4.0, 2.0, 8.0))

    _section_title(doc, "31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC")
    for block in salary_blocks(resume.salary):
        table = doc.add_table(rows=3, cols=len(block) + 1)
        table.style = "Table Grid"
        for r, label in enumerate(SALARY_ROWS):
            table.rows[r].cells[0].text = label
            table.rows[r].cells[0].paragraphs[0].runs[0].bold = True
            for c, change in enumerate(block, start=1):
                table.rows[r].cells[c].text = change[r]
        _para(doc, "", space_after=2)

    _section_title(doc, "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC")
    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.rows[0].height = Cm(4)
    box.rows[0].cells[0].text = resume.assessment

    if resume.withheld:
        _para(
            doc,
            "Các mục không in vì người in không có quyền xem: " + ", ".join(resume.withheld) + ".",
            italic=True,
            size=9,
        )

    # The two signature blocks.
    _para(doc, "")
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    left.text = ""
    right.text = ""
    _para(left, signing_line(""), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(left, DECLARANT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(left, DECLARATION, align=WD_ALIGN_PARAGRAPH.CENTER, size=11)
    _para(left, DECLARANT_HINT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=11)
    if resume.declarant:
        _para(left, "\n\n\n" + resume.declarant, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, signing_line(resume.place), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, HEAD_OF_BODY, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, HEAD_HINT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=11)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()
