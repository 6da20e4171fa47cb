"""The résumé (Mẫu 2C-BNV/2008, Quyết định 02/2008/QĐ-BNV) as PDF (fpdf2), the same layout as
the Word document (:mod:`.docx`): A4 portrait, DejaVu Serif embedded (subset; the TrueType files
bundled with matplotlib, as the reports' PDF writer uses — Vietnamese prints the same on every
machine), the photo box beside items 1–5, the numbered items, the tables of items 27, 28, 30, 31,
the assessment box and the two signature blocks; who printed it and when in every page's footer.
"""

from __future__ import annotations

from ..reports.pdf import FONT_DIR
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

FAMILY = "DejaVuSerif"
_FONTS = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-BoldItalic.ttf",
}
LEFT, RIGHT, TOP, BOTTOM = 25.0, 15.0, 15.0, 15.0
WIDTH = 210.0 - LEFT - RIGHT
SIZE = 10.5
LINE = 5.2


def _new(resume: Resume):
    from fpdf import FPDF

    footer_text = resume.printed_by

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(FAMILY, "I", 7)
            self.cell(0, 4, f"{footer_text}   Trang {self.page_no()}/{{nb}}".strip(), align="C")

    pdf = _PDF(orientation="P", unit="mm", format="A4")
    for style, file in _FONTS.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / file))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, BOTTOM)
    pdf.set_title(TITLE)
    pdf.set_subject(FORM_CODE)
    pdf.set_author("canbo")
    pdf.set_creator("canbo")
    pdf.add_page()
    return pdf


def _item(pdf, line: Line, x: float | None = None) -> None:
    """A numbered line: the form's words regular, the values bold (the font switched between
    runs, never markdown: a value typed with "**" stays as typed). A long line wraps back to the
    column's left edge ``x``."""
    saved = pdf.l_margin
    if x is not None:
        pdf.set_left_margin(x)
        pdf.set_x(x)
    for text, bold in line.runs:
        pdf.set_font(FAMILY, "B" if bold else "", SIZE)
        # fpdf2 cuts a word that does not fit at the end of a line; the run starts on the next
        # line instead.
        first = text.lstrip().split(" ", 1)[0]
        if pdf.get_x() + pdf.get_string_width(first) > pdf.w - pdf.r_margin:
            pdf.ln(LINE)
            text = text.lstrip()
        pdf.write(LINE, text)
    pdf.set_left_margin(saved)
    pdf.ln(LINE + 0.6)


def _heading(pdf, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", SIZE)
    pdf.multi_cell(WIDTH, LINE, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _note(pdf, text: str) -> None:
    pdf.set_font(FAMILY, "I", SIZE - 1.5)
    pdf.multi_cell(WIDTH, LINE - 0.8, text, new_x="LMARGIN", new_y="NEXT")


def _table(pdf, header: tuple[str, ...], rows: list, widths: tuple[float, ...], min_rows: int = 3) -> None:
    body = [tuple(str(v) for v in r) for r in rows]
    while len(body) < min_rows:
        body.append(("",) * len(header))
    pdf.set_font(FAMILY, "", SIZE - 1)
    with pdf.table(
        col_widths=widths,
        width=WIDTH,
        line_height=LINE - 0.4,
        text_align="LEFT",
        headings_style=_heading_style(),
        repeat_headings=1,
    ) as table:
        head = table.row()
        for text in header:
            head.cell(text, align="C")
        for r in body:
            row = table.row()
            for value in r:
                row.cell(value)
    pdf.ln(1)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD")


def pdf_bytes(resume: Resume) -> bytes:
    """The PDF of ``resume``."""
    pdf = _new(resume)
    # The head: the bodies on the left, the form's code on the right.
    pdf.set_font(FAMILY, "B", SIZE)
    pdf.set_xy(LEFT + WIDTH - 45, TOP)
    pdf.cell(45, LINE, FORM_CODE, align="R")
    pdf.set_xy(LEFT, TOP)
    pdf.set_font(FAMILY, "", SIZE - 0.5)
    pdf.multi_cell(
        WIDTH - 48,
        LINE,
        f"Cơ quan, đơn vị có thẩm quyền quản lý CBCC: {resume.managing_body or '…'}\n"
        f"Cơ quan, đơn vị sử dụng CBCC: {resume.using_body or '…'}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(WIDTH, LINE, f"Số hiệu cán bộ, công chức: {resume.staff_number or '…'}", align="R")
    pdf.ln(LINE + 3)
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(WIDTH, 8, TITLE, align="C")
    pdf.ln(12)

    # The photo box (4 × 6 cm) beside items 1–5.
    top = pdf.get_y()
    pdf.rect(LEFT, top, 40, 60)
    pdf.set_font(FAMILY, "", SIZE - 1)
    pdf.set_xy(LEFT, top + 25)
    pdf.multi_cell(40, LINE, PHOTO_TEXT, align="C")
    x = LEFT + 45
    pdf.set_xy(x, top)
    for line in resume.head:
        _item(pdf, line, x=x)
    pdf.set_y(max(pdf.get_y(), top + 62))

    for line in resume.body:
        _item(pdf, line)

    _heading(pdf, "27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC")
    _table(pdf, TRAINING_COLUMNS, resume.training, (40, 40, 30, 25, 35))
    _note(
        pdf,
        "Ghi chú: Hình thức đào tạo: Chính quy, tại chức, chuyên tu, bồi dưỡng …; Văn bằng: TSKH, TS, Ths, "
        "Cử nhân, Kỹ sư …",
    )

    _heading(pdf, "28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC")
    _table(pdf, WORK_COLUMNS, resume.work, (40, 130))

    _heading(pdf, "29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN")
    _note(
        pdf,
        "- Khai rõ: bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu), đã khai báo cho ai, "
        "những vấn đề gì? Bản thân có làm việc trong chế độ cũ (cơ quan, đơn vị nào, địa điểm, chức danh, "
        "chức vụ, thời gian làm việc …)\n- Tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã "
        "hội nào ở nước ngoài (làm gì, tổ chức nào, đặt trụ sở ở đâu …?)",
    )
    pdf.set_font(FAMILY, "", SIZE)
    pdf.multi_cell(WIDTH, LINE, resume.self_history or "…", new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "30) QUAN HỆ GIA ĐÌNH")
    pdf.set_font(FAMILY, "B", SIZE)
    pdf.multi_cell(
        WIDTH,
        LINE,
        "a) Về bản thân: Cha, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _table(pdf, FAMILY_COLUMNS, resume.family_own, (28, 40, 17, 85))
    pdf.set_font(FAMILY, "B", SIZE)
    pdf.multi_cell(
        WIDTH, LINE, "b) Về bên vợ (hoặc chồng): Cha, Mẹ, anh chị em ruột", new_x="LMARGIN", new_y="NEXT"
    )
    _table(pdf, FAMILY_COLUMNS, resume.family_spouse, (28, 40, 17, 85))

    _heading(pdf, "31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC")
    for block in salary_blocks(resume.salary):
        pdf.set_font(FAMILY, "", SIZE - 1)
        with pdf.table(
            col_widths=(26, *([18] * len(block))),
            width=26 + 18 * len(block),
            align="LEFT",
            line_height=LINE - 0.4,
            first_row_as_headings=False,
        ) as table:
            for r, label in enumerate(SALARY_ROWS):
                row = table.row()
                row.cell(label, style=_heading_style())
                for change in block:
                    row.cell(change[r], align="C")
        pdf.ln(2)

    _heading(pdf, "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC")
    if pdf.get_y() + 40 > pdf.h - BOTTOM:
        pdf.add_page()
    y = pdf.get_y()
    pdf.rect(LEFT, y, WIDTH, 40)
    pdf.set_xy(LEFT + 2, y + 2)
    pdf.set_font(FAMILY, "", SIZE)
    pdf.multi_cell(WIDTH - 4, LINE, resume.assessment)
    pdf.set_y(y + 42)

    if resume.withheld:
        _note(pdf, "Các mục không in vì người in không có quyền xem: " + ", ".join(resume.withheld) + ".")

    # The two signature blocks.
    if pdf.get_y() + 40 > pdf.h - BOTTOM:
        pdf.add_page()
    y = pdf.get_y() + 4
    half = WIDTH / 2
    for i, lines in enumerate(
        (
            [
                ("I", signing_line("")),
                ("B", DECLARANT),
                ("", DECLARATION),
                ("I", DECLARANT_HINT),
                ("B", "\n\n\n" + resume.declarant if resume.declarant else ""),
            ],
            [("I", signing_line(resume.place)), ("B", HEAD_OF_BODY), ("I", HEAD_HINT)],
        )
    ):
        pdf.set_xy(LEFT + i * half, y)
        for style, text in lines:
            pdf.set_font(FAMILY, style, SIZE - 0.5)
            pdf.set_x(LEFT + i * half)
            pdf.multi_cell(half - 2, LINE, text, align="C", new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
