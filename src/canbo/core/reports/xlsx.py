"""The one xlsx writer of reports (xlsxwriter): every :class:`~.layout.Report` the same way.

One sheet per table, laid out as printed (``domain/REPORTS.md`` §3): the issuing body top left
and the national name and underlined motto top right, the title in capitals and the date line
centred, the merged multi-level column headers, the column-numbering row, the rows (subtotal and
total rows bold), the footnotes and the signature block; a table with a chart gets a native
Excel line chart under it. Printing: A4 landscape, fitted to the page width, the header rows
repeated on every page, page numbers in the footer.
"""

from __future__ import annotations

import math
from io import BytesIO
from pathlib import Path

from .layout import Column, Report, Table, column_numbers, header_cells, header_depth

__all__ = ["write_xlsx", "xlsx_bytes"]

FONT = "Times New Roman"  # the font of Vietnamese administrative documents (Decree 30/2020 Art. 8)
_INT = '#,##0;-#,##0;"-"'
_PCT = "0.0"


class _Formats:
    """The workbook's cell formats, made once per combination."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.cache: dict[tuple, object] = {}

    def get(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.wb.add_format({"font_name": FONT, "font_size": 11, **props})
        return self.cache[key]

    def cell(self, row_kind: str, column: Column):
        props: dict = {"border": 1, "valign": "vcenter"}
        if row_kind in ("subtotal", "total", "group"):
            props["bold"] = True
        if row_kind == "total":
            props["bg_color"] = "#F2F2F2"
        if column.kind == "int":
            props.update(num_format=_INT, align="right")
        elif column.kind == "percent":
            props.update(num_format=_PCT, align="right")
        elif column.kind == "wrap":
            props.update(text_wrap=True, valign="top")
        return self.get(**props)


def _blocks(widths: list[float]) -> tuple[int, int]:
    """(last column of the left heading block, first column of the right one): the left block
    takes about the first 38 % of the width, the right one the last 52 %."""
    total = sum(widths)
    acc, left = 0.0, 0
    for k, w in enumerate(widths):
        acc += w
        left = k
        if acc >= 0.38 * total:
            break
    acc, right = 0.0, len(widths) - 1
    for k in range(len(widths) - 1, -1, -1):
        acc += widths[k]
        right = k
        if acc >= 0.52 * total:
            break
    if right <= left:
        right = min(left + 1, len(widths) - 1)
    return left, right


def _merge(ws, r1, c1, r2, c2, value, fmt) -> None:
    if r1 == r2 and c1 == c2:
        ws.write(r1, c1, value, fmt)
    else:
        ws.merge_range(r1, c1, r2, c2, value, fmt)


def _lines(text: str, width_chars: float) -> int:
    """Lines a wrapped text needs in a cell about ``width_chars`` wide (an estimate: Excel does
    not fit the height of merged cells itself)."""
    if not text:
        return 1
    per_line = max(1.0, width_chars * 1.05)
    lines = 0
    for part in str(text).split("\n"):
        words, current = part.split(" "), 0.0
        n = 1
        for w in words:
            need = len(w) + (1 if current else 0)
            if current + need > per_line and current:
                n += 1
                current = len(w)
            else:
                current += need
        lines += n
    return lines


def _sheet(wb, fm: _Formats, report: Report, table: Table, sheet_names: set[str]) -> None:
    name = table.name[:31]
    while name in sheet_names:
        name = name[:28] + f" {len(sheet_names) + 1}"
    sheet_names.add(name)
    ws = wb.add_worksheet(name)
    columns = table.columns
    last = len(columns) - 1
    widths = [c.width for c in columns]
    for k, w in enumerate(widths):
        ws.set_column(k, k, w)
    left, right = _blocks(widths)

    bold_c = fm.get(bold=True, align="center", valign="vcenter", text_wrap=True)
    under_c = fm.get(bold=True, underline=1, align="center", valign="vcenter")
    # 1. heading: issuing body | nation and motto
    issuer = list(report.issuer) + [""] * (2 - len(report.issuer))
    _merge(ws, 0, 0, 0, left, issuer[0], bold_c)
    _merge(ws, 0, right, 0, last, report.nation[0], bold_c)
    _merge(ws, 1, 0, 1, left, issuer[1], under_c if issuer[1] else bold_c)
    _merge(ws, 1, right, 1, last, report.nation[1], under_c)
    for k, line in enumerate(issuer[2:], start=2):
        _merge(ws, k, 0, k, left, line, bold_c)
    r = max(3, len(issuer) + 1)
    # 2. title and date line
    title_fmt = fm.get(bold=True, font_size=13, align="center", valign="vcenter", text_wrap=True)
    _merge(ws, r, 0, r, last, table.title, title_fmt)
    ws.set_row(r, 18 * _lines(table.title, sum(widths) * 0.85))
    r += 1
    if table.subtitle:
        _merge(ws, r, 0, r, last, table.subtitle, fm.get(italic=True, align="center"))
        r += 1
    r += 1
    # 3. headers
    head = fm.get(bold=True, align="center", valign="vcenter", text_wrap=True, border=1, bg_color="#DDEBF7")
    depth = header_depth(table.headers)
    first_header = r
    level_lines = [1] * depth
    cells = header_cells(table.headers)
    for cell in cells:
        _merge(
            ws,
            r + cell.row,
            cell.col,
            r + cell.row + cell.rowspan - 1,
            cell.col + cell.colspan - 1,
            cell.label,
            head,
        )
    # Row heights: a cell's lines spread over the rows it spans.
    for cell in sorted(cells, key=lambda c: c.rowspan):
        need = _lines(cell.label, sum(widths[cell.col : cell.col + cell.colspan]))
        spanned = range(cell.row, cell.row + cell.rowspan)
        have = sum(level_lines[k] for k in spanned)
        if need > have:
            level_lines[cell.row + cell.rowspan - 1] += need - have
    for k, n in enumerate(level_lines):
        ws.set_row(r + k, 15 * n + 2)
    r += depth
    numbering = fm.get(italic=True, align="center", valign="vcenter", border=1, font_size=10)
    for k, label in enumerate(column_numbers(columns)):
        ws.write_string(r, k, label, numbering)
    numbering_row = r
    ws.repeat_rows(first_header, numbering_row)
    ws.freeze_panes(numbering_row + 1, 2 if len(columns) > 2 else 0)
    r += 1
    # 4. rows
    first_data = r
    wrap_columns = [(k, c) for k, c in enumerate(columns) if c.kind == "wrap"]
    for row in table.rows:
        values = row.values
        for k, c in enumerate(columns):
            v = values.get(c.key)
            fmt = fm.cell(row.kind, c)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                ws.write_blank(r, k, None, fmt)
            elif c.kind in ("int", "percent"):
                ws.write_number(r, k, v, fmt)
            else:
                ws.write_string(r, k, str(v), fmt)
        if wrap_columns:
            n = max(_lines(str(values.get(c.key) or ""), c.width) for _, c in wrap_columns)
            if n > 1:
                ws.set_row(r, 15 * n)
        r += 1
    last_data = r - 1
    # 5. footnotes
    if table.footnotes:
        r += 1
        note_fmt = fm.get(italic=True, text_wrap=True, valign="top", font_size=10)
        for note in table.footnotes:
            _merge(ws, r, 0, r, last, note, note_fmt)
            ws.set_row(r, 14 * _lines(note, sum(widths) * 1.1))
            r += 1
    # 6. signature
    r += 1
    sig = report.signature
    _merge(ws, r, right, r, last, sig.place_date, fm.get(italic=True, align="center"))
    r += 1
    for k in range(max(len(sig.left), len(sig.right))):
        for block, lines in (((0, left), sig.left), ((right, last), sig.right)):
            if k < len(lines):
                is_note = lines[k].startswith("(")
                fmt = fm.get(italic=True, align="center") if is_note else fm.get(bold=True, align="center")
                _merge(ws, r, block[0], r, block[1], lines[k], fmt)
        r += 1
    r += 4  # room to sign
    # 7. chart
    if table.chart is not None and last_data >= first_data:
        chart_spec = table.chart
        keys = [c.key for c in columns]
        cat = keys.index(chart_spec.category_key)
        chart = wb.add_chart({"type": "line"})
        for s in chart_spec.series:
            col = keys.index(s.key)
            chart.add_series(
                {
                    "name": s.name,
                    "categories": [name, first_data, cat, last_data, cat],
                    "values": [name, first_data, col, last_data, col],
                    "marker": {"type": "circle", "size": 5},
                    "line": {"width": 2},
                }
            )
        chart.set_title({"name": chart_spec.title, "name_font": {"name": FONT, "size": 12}})
        y_axis = {"name": chart_spec.y_title, "min": 0, "major_gridlines": {"visible": True}}
        if chart_spec.y_max is not None:
            y_axis["max"] = chart_spec.y_max
        chart.set_y_axis(y_axis)
        chart.set_x_axis({"num_font": {"rotation": -45}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 960, "height": 420})
        ws.insert_chart(r, 0, chart)
    # 8. printing
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C&P / &N")


def write_xlsx(report: Report, target: str | Path | BytesIO) -> None:
    """Write ``report`` as an xlsx workbook to a path or a binary file object."""
    from canbo.core.spreadsheet import workbook

    wb = workbook(target if isinstance(target, BytesIO) else str(target))
    wb.set_properties(
        {
            "title": report.title,
            "subject": f"{report.subject} — {report.as_of_line}".strip(" —"),
            "author": "canbo",
            "comments": report.code,
        }
    )
    fm = _Formats(wb)
    names: set[str] = set()
    for table in report.tables:
        _sheet(wb, fm, report, table, names)
    wb.close()


def xlsx_bytes(report: Report) -> bytes:
    """The workbook of ``report`` as bytes (for a download)."""
    buf = BytesIO()
    write_xlsx(report, buf)
    return buf.getvalue()
