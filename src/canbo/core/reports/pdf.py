"""The one PDF writer of reports (fpdf2): every :class:`~.layout.Report` the same way.

A4 landscape. The first page starts with the issuing body (left) and the national name with
its underlined motto (right); each table starts with its title in capitals and its date line
(the second and later tables on a new page), then the merged multi-level headers drawn as
cells, the column-numbering row and the rows — the headers and numbering row are drawn again at
the top of every page the table continues on. Footnotes, the chart (a matplotlib picture,
Agg backend, no display) and the signature block follow; page numbers in the footer.

Column widths are fitted to the page: each column gets at least what its longest figure or
word needs at the chosen font size (the largest of 8 → 5 pt that lets every column fit), text
columns grow toward their longest value, and what is left is shared out in proportion to the
columns' nominal widths. Long text wraps inside its cell.

Fonts: DejaVu Sans, embedded (subset) — the TrueType files bundled with matplotlib
(``matplotlib/mpl-data/fonts/ttf``), so Vietnamese prints the same on every machine and no
system font is needed.
"""

from __future__ import annotations

import importlib.util
from io import BytesIO
from pathlib import Path

from .layout import Column, Report, Table, column_numbers, fmt_number, header_cells, header_depth

__all__ = ["FONT_DIR", "pdf_bytes", "write_pdf"]

FAMILY = "DejaVu"
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 10.0, 10.0, 12.0
PAD_X, PAD_Y = 0.8, 0.6
FONT_SIZES = (8, 7.5, 7, 6.5, 6, 5.5, 5)
HEAD_FILL = (221, 235, 247)
TOTAL_FILL = (242, 242, 242)
PT = 0.3528  # mm per point


def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:  # pragma: no cover - matplotlib is a dependency
        raise RuntimeError("matplotlib (its DejaVu fonts) is needed to write PDF reports")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


FONT_DIR = _font_dir()
_FONTS = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}


def _line_h(size: float) -> float:
    return size * PT * 1.25


def _new_pdf(report: Report):
    from fpdf import FPDF

    page_label = "Page" if report.lang == "en" else "Trang"

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-8)
            self.set_font(FAMILY, "I", 7)
            self.cell(0, 4, f"{page_label} {self.page_no()}/{{nb}}", align="C")

    pdf = _PDF(orientation="L", unit="mm", format="A4")
    for style, file in _FONTS.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / file))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
    pdf.c_margin = 0
    pdf.set_title(report.title)
    pdf.set_subject(f"{report.subject} — {report.as_of_line}".strip(" —"))
    pdf.set_author("canbo")
    pdf.set_creator("canbo")
    pdf.set_keywords(report.code)
    pdf.set_lang(report.lang)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    return pdf


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.pdf = _new_pdf(report)
        self.avail = PAGE_W - 2 * MARGIN_X
        self.bottom = PAGE_H - MARGIN_BOTTOM
        self.y = MARGIN_TOP
        self._units: dict[tuple[str, str], int] = {}
        self._wraps: dict[tuple, list[str]] = {}

    # ------------------------------------------------------------------ text
    # Widths and line breaks are computed here from the fonts' character widths, with caches:
    # fpdf2's own multi_cell is exact but costs about a millisecond a cell, and a province's
    # list of people below standard has tens of thousands of cells, most of them repeated
    # (the same rule, the same reference).

    def width(self, text: str, style: str, size: float) -> float:
        """Width (mm) of ``text`` in the DejaVu ``style`` at ``size`` pt."""
        units = self._units.get((text, style))
        if units is None:
            cw = self.pdf.fonts[FAMILY.lower() + style].cw
            units = sum(cw[ord(c)] for c in text)
            self._units[(text, style)] = units
        return units * size * 0.001 / self.pdf.k

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        """``text`` broken into lines that fit ``width`` (mm): at spaces, and inside a word
        only when the word alone is too wide."""
        if not text:
            return [""]
        key = (text, style, size, round(width, 2))
        cached = self._wraps.get(key)
        if cached is not None:
            return cached
        out: list[str] = []
        for paragraph in text.split("\n"):
            if self.width(paragraph, style, size) <= width:
                out.append(paragraph)
                continue
            space = self.width(" ", style, size)
            line, line_w = "", 0.0
            for word in paragraph.split(" "):
                w = self.width(word, style, size)
                if line and line_w + space + w <= width:
                    line, line_w = f"{line} {word}", line_w + space + w
                    continue
                if line:
                    out.append(line)
                line, line_w = word, w
                while line_w > width and len(line) > 1:  # a word wider than the cell
                    cut = len(line) - 1
                    while cut > 1 and self.width(line[:cut], style, size) > width:
                        cut -= 1
                    out.append(line[:cut])
                    line = line[cut:]
                    line_w = self.width(line, style, size)
            out.append(line)
        self._wraps[key] = out
        return out

    def text_block(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        lines: list[str],
        style: str,
        size: float,
        align: str,
        valign: str = "M",
    ) -> None:
        """Lines drawn in the cell [x, x+w] × [y, y+h] (the font must be set)."""
        lh = _line_h(size)
        ty = y + (h - len(lines) * lh) / 2 if valign == "M" else y + PAD_Y
        ascent = 0.5 * lh + 0.3 * size / self.pdf.k
        for line in lines:
            if line:
                if align == "L":
                    tx = x + PAD_X
                else:
                    tw = self.width(line, style, size)
                    tx = x + w - PAD_X - tw if align == "R" else x + (w - tw) / 2
                self.pdf.text(tx, ty + ascent, line)
            ty += lh

    def centred(
        self, x: float, w: float, text: str, style: str, size: float, underline: bool = False
    ) -> None:
        """Lines of ``text`` centred in [x, x+w] from the current y."""
        pdf = self.pdf
        pdf.set_font(FAMILY, style, size)
        lh = _line_h(size) * 1.1
        for line in self.wrap(text, w, style, size):
            pdf.set_xy(x, self.y)
            pdf.cell(w, lh, line, align="C")
            if underline:
                tw = self.width(line, style, size)
                pdf.line(x + (w - tw) / 2, self.y + lh - 0.3, x + (w + tw) / 2, self.y + lh - 0.3)
            self.y += lh

    # ------------------------------------------------------------------ page parts

    def heading(self) -> None:
        r = self.report
        left_w, right_x = self.avail * 0.40, MARGIN_X + self.avail * 0.46
        right_w = self.avail * 0.54
        top = self.y
        for line in r.issuer:
            self.centred(MARGIN_X, left_w, line, "B", 10)
        pdf = self.pdf
        if r.issuer:
            pdf.set_font(FAMILY, "B", 10)
            short = min(self.width(r.issuer[-1], "B", 10), left_w) / 3
            pdf.line(
                MARGIN_X + (left_w - short) / 2, self.y + 0.8, MARGIN_X + (left_w + short) / 2, self.y + 0.8
            )
        left_end = self.y
        self.y = top
        self.centred(right_x, right_w, r.nation[0], "B", 10)
        self.centred(right_x, right_w, r.nation[1], "B", 10, underline=True)
        self.y = max(self.y, left_end) + 5

    def table_title(self, table: Table) -> None:
        self.centred(MARGIN_X, self.avail, table.title, "B", 12)
        if table.subtitle:
            self.y += 0.5
            self.centred(MARGIN_X, self.avail, table.subtitle, "I", 10)
        self.y += 3

    def fit(self, table: Table) -> tuple[float, list[float]]:
        """The font size and column widths (mm) of ``table`` (module docstring)."""
        columns = table.columns
        # Widths at 1 pt, in bold (the widest style a row uses); they scale with the size.
        measures = []
        for c in columns:
            values = {self.cell_text(c, r.values.get(c.key)) for r in table.rows} - {""}
            head_word = max((self.width(w, "B", 1) for w in c.label.split()), default=0.0)
            longest = max((self.width(t, "B", 1) for t in values), default=0.0)
            word = (
                longest
                if c.kind in ("int", "percent")
                else max((self.width(w, "B", 1) for t in values for w in t.split(" ")), default=0.0)
            )
            measures.append((head_word, longest, word))
        size: float = FONT_SIZES[-1]
        mins: list[float] = []
        prefs: list[float] = []
        for size in FONT_SIZES:
            mins, prefs = [], []
            for c, (head_word, longest, word) in zip(columns, measures, strict=True):
                head_word, longest, word = (v * size + 2 * PAD_X for v in (head_word, longest, word))
                if c.kind in ("int", "percent"):
                    mins.append(max(head_word, longest, 5.0))
                    prefs.append(mins[-1])
                # Short text (a unit's name, a person's name) on one line up to 45 mm; long text
                # wrapped, at least 25 mm wide.
                elif c.kind == "text":
                    mins.append(max(head_word, word, min(longest, 45.0)))
                    prefs.append(max(mins[-1], longest))
                else:
                    mins.append(max(head_word, word, min(longest, 25.0)))
                    prefs.append(max(mins[-1], min(longest, 90.0)))
            if sum(mins) <= self.avail:
                break
        widths = list(mins)
        extra = self.avail - sum(widths)
        need = [p - m for p, m in zip(prefs, mins, strict=True)]
        if extra > 0 and sum(need) > 0:
            give = min(extra, sum(need))
            widths = [w + give * n / sum(need) for w, n in zip(widths, need, strict=True)]
            extra -= give
        if extra > 0:
            weights = [c.width for c in columns]
            widths = [w + extra * k / sum(weights) for w, k in zip(widths, weights, strict=True)]
        elif extra < 0:  # even the smallest size does not fit: shrink everything alike
            widths = [w * self.avail / sum(widths) for w in widths]
        return size, widths

    def cell_text(self, column: Column, value) -> str:
        if value is None:
            return ""
        if column.kind in ("int", "percent"):
            return fmt_number(value, column.kind, self.report.lang)
        return str(value)

    def draw_header(self, table: Table, size: float, widths: list[float]) -> None:
        pdf = self.pdf
        depth = header_depth(table.headers)
        cells = header_cells(table.headers)
        xs = [MARGIN_X]
        for w in widths:
            xs.append(xs[-1] + w)
        lh = _line_h(size)
        pdf.set_font(FAMILY, "B", size)
        lines = {
            id(c): self.wrap(c.label, xs[c.col + c.colspan] - xs[c.col] - 2 * PAD_X, "B", size) for c in cells
        }
        heights = [lh + 2 * PAD_Y] * depth
        for c in sorted(cells, key=lambda c: c.rowspan):
            need = len(lines[id(c)]) * lh + 2 * PAD_Y
            have = sum(heights[c.row : c.row + c.rowspan])
            if need > have:
                heights[c.row + c.rowspan - 1] += need - have
        ys = [self.y]
        for h in heights:
            ys.append(ys[-1] + h)
        pdf.set_fill_color(*HEAD_FILL)
        for c in cells:
            x, w = xs[c.col], xs[c.col + c.colspan] - xs[c.col]
            y, h = ys[c.row], ys[c.row + c.rowspan] - ys[c.row]
            pdf.rect(x, y, w, h, style="DF")
            self.text_block(x, y, w, h, lines[id(c)], "B", size, "C")
        self.y = ys[-1]
        # the column-numbering row
        pdf.set_font(FAMILY, "I", size)
        h = lh + 2 * PAD_Y
        for k, label in enumerate(column_numbers(table.columns)):
            pdf.rect(xs[k], self.y, widths[k], h)
            self.text_block(xs[k], self.y, widths[k], h, [label], "I", size, "C")
        self.y += h

    def draw_rows(self, table: Table, size: float, widths: list[float]) -> None:
        pdf = self.pdf
        columns = table.columns
        lh = _line_h(size)
        xs = [MARGIN_X]
        for w in widths:
            xs.append(xs[-1] + w)
        for row in table.rows:
            style = "B" if row.kind in ("subtotal", "total", "group") else ""
            pdf.set_font(FAMILY, style, size)
            cells = []
            for k, c in enumerate(columns):
                text = self.cell_text(c, row.values.get(c.key))
                cells.append(self.wrap(text, widths[k] - 2 * PAD_X, style, size))
            h = max(len(lines) for lines in cells) * lh + 2 * PAD_Y
            if self.y + h > self.bottom:
                pdf.add_page()
                self.y = MARGIN_TOP
                self.draw_header(table, size, widths)
                pdf.set_font(FAMILY, style, size)
            if row.kind == "total":
                pdf.set_fill_color(*TOTAL_FILL)
            for k, c in enumerate(columns):
                pdf.rect(xs[k], self.y, widths[k], h, style="DF" if row.kind == "total" else "D")
                align = "R" if c.kind in ("int", "percent") else ("C" if c.key == "stt" else "L")
                self.text_block(xs[k], self.y, widths[k], h, cells[k], style, size, align)
            self.y += h

    def footnotes(self, table: Table) -> None:
        if not table.footnotes:
            return
        pdf = self.pdf
        pdf.set_font(FAMILY, "I", 7.5)
        lh = _line_h(7.5)
        self.y += 2
        for note in table.footnotes:
            lines = self.wrap(note, self.avail, "I", 7.5)
            if self.y + len(lines) * lh > self.bottom:
                pdf.add_page()
                self.y = MARGIN_TOP
            for line in lines:
                pdf.set_xy(MARGIN_X, self.y)
                pdf.cell(self.avail, lh, line)
                self.y += lh

    def chart(self, table: Table) -> None:
        spec = table.chart
        if spec is None or not table.data_rows():
            return
        png = chart_png(table)
        w = self.avail * 0.8
        h = w * 0.42
        if self.y + 4 + h > self.bottom:
            self.pdf.add_page()
            self.y = MARGIN_TOP
        self.y += 4
        self.pdf.image(
            BytesIO(png),
            x=MARGIN_X + (self.avail - w) / 2,
            y=self.y,
            w=w,
            h=h,
            alt_text=spec.title,
            title=spec.title,
        )
        self.y += h

    def signature(self) -> None:
        sig = self.report.signature
        need = _line_h(10) * 1.1 * (max(len(sig.left), len(sig.right)) + 1) + 25
        if self.y + need > self.bottom:
            self.pdf.add_page()
            self.y = MARGIN_TOP
        self.y += 5
        left_w, right_x, right_w = self.avail * 0.40, MARGIN_X + self.avail * 0.46, self.avail * 0.54
        self.centred(right_x, right_w, sig.place_date, "I", 10)
        top = self.y
        for line in sig.left:
            self.centred(MARGIN_X, left_w, line, "I" if line.startswith("(") else "B", 10)
        self.y = top
        for line in sig.right:
            self.centred(right_x, right_w, line, "I" if line.startswith("(") else "B", 10)

    def write(self) -> bytes:
        pdf = self.pdf
        pdf.add_page()
        self.y = MARGIN_TOP
        self.heading()
        for k, table in enumerate(self.report.tables):
            if k:
                pdf.add_page()
                self.y = MARGIN_TOP
            self.table_title(table)
            size, widths = self.fit(table)
            self.draw_header(table, size, widths)
            self.draw_rows(table, size, widths)
            self.footnotes(table)
            self.chart(table)
        self.signature()
        return bytes(pdf.output())


def chart_png(table: Table, dpi: int = 150) -> bytes:
    """The table's chart as a PNG picture (matplotlib, Agg canvas: no display, no global
    backend switch)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    spec = table.chart
    if spec is None:
        raise ValueError("the table has no chart")
    rows = table.data_rows()
    categories = [str(r.values.get(spec.category_key, "")) for r in rows]
    fig = Figure(figsize=(10, 4.2), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(categories)))
    for s in spec.series:
        ys = [r.values.get(s.key) for r in rows]
        ax.plot(
            xs,
            [float("nan") if y is None else y for y in ys],
            marker="o",
            markersize=3,
            linewidth=1.6,
            label=s.name,
        )
    ax.set_title(spec.title, fontsize=11)
    ax.set_ylabel(spec.y_title)
    ax.set_ylim(0, spec.y_max if spec.y_max is not None else None)
    ax.set_xticks(xs)
    ax.set_xticklabels(categories, rotation=45, ha="right", fontsize=8)
    ax.grid(True, alpha=0.3)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.28),
        ncol=min(len(spec.series), 5),
        fontsize=8,
        frameon=False,
    )
    fig.subplots_adjust(left=0.06, right=0.98, top=0.9, bottom=0.33)
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def pdf_bytes(report: Report, compress: bool = True) -> bytes:
    """The PDF of ``report`` (``compress=False`` leaves the page streams readable, for tests)."""
    writer = _Writer(report)
    writer.pdf.set_compression(compress)
    return writer.write()


def write_pdf(report: Report, target: str | Path | BytesIO) -> None:
    """Write ``report`` as a PDF to a path or a binary file object."""
    data = pdf_bytes(report)
    if isinstance(target, BytesIO):
        target.write(data)
    else:
        Path(target).write_bytes(data)
