"""One structure for every official report, rendered by one xlsx and one PDF writer.

A :class:`Report` is what an official prints (``domain/REPORTS.md`` §3): the issuing body top
left in capitals, the national name and motto top right, a title in capitals, the date the
figures are as of, then one or more :class:`Table` — each a tree of column headers (merged
multi-level headers, a column-numbering row under them), rows of a kind (``data``, ``group``,
``subtotal``, ``total``; the last three bold), footnotes and an optional :class:`Chart` — and
the signature block ("Người lập biểu" on the left, the signing official on the right with
place and date).

All text is already in the report's language (``vi`` or ``en``): the report builders
(:mod:`.quality`, :mod:`.staffing`, :mod:`.trend`) choose the words, the writers
(:mod:`.xlsx`, :mod:`.pdf`) only lay them out. Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from canbo.core.formatting import column_letter, fmt_date, fmt_number, tr

__all__ = [
    "Chart",
    "Column",
    "Group",
    "HeaderCell",
    "Report",
    "Row",
    "Series",
    "Signature",
    "Table",
    "column_numbers",
    "fmt_date",
    "fmt_number",
    "header_cells",
    "header_depth",
    "issuer_lines",
    "official_report",
    "leaves",
    "nation_lines",
    "place_name",
    "roman",
    "signature_for",
    "tr",
]

#: Row kinds, in the order of their weight on the page.
ROW_KINDS = ("data", "group", "subtotal", "total")
#: Column kinds: ``int`` (a count), ``percent`` (0–100, one decimal), ``text`` (one line),
#: ``wrap`` (long text, wrapped).
COLUMN_KINDS = ("int", "percent", "text", "wrap")


@dataclass(frozen=True)
class Column:
    """A leaf header: the row key it shows, its label, its kind (:data:`COLUMN_KINDS`) and its
    width in an xlsx sheet (characters; the PDF writer fits widths to the page itself).
    ``number`` overrides the label of the column-numbering row (see :func:`column_numbers`)."""

    key: str
    label: str
    kind: str = "int"
    width: float = 6.0
    number: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Group:
    """A header over several columns (merged across them), possibly nested."""

    label: str
    children: tuple[Column | Group, ...]


Header = Column | Group


@dataclass(frozen=True)
class Row:
    """One table row: its kind (:data:`ROW_KINDS`) and its values by column key (a missing key
    or ``None`` is an empty cell)."""

    kind: str
    values: dict

    def __post_init__(self) -> None:
        if self.kind not in ROW_KINDS:
            raise ValueError(f"unknown row kind {self.kind!r}")


@dataclass(frozen=True)
class Series:
    """One line of a chart: its name and the column key holding its values."""

    name: str
    key: str


@dataclass(frozen=True)
class Chart:
    """A line chart over a table's data rows: the category column (x axis) and the series;
    ``y_title`` names the y axis, ``y_max`` fixes its top (e.g. 100 for percentages)."""

    title: str
    category_key: str
    series: tuple[Series, ...]
    y_title: str = ""
    y_max: float | None = None


@dataclass(frozen=True)
class Table:
    """One table of a report (one sheet of the workbook; in the PDF, from a new page when it is
    not the first). ``name`` is the sheet name; ``title`` and ``subtitle`` are printed above it."""

    name: str
    title: str
    headers: tuple[Header, ...]
    rows: tuple[Row, ...]
    subtitle: str = ""
    footnotes: tuple[str, ...] = ()
    chart: Chart | None = None

    @property
    def columns(self) -> list[Column]:
        return leaves(self.headers)

    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "data"]


@dataclass(frozen=True)
class Signature:
    """The signature block: the left lines (who prepared the report), the right lines (the
    signing official) and the place and date line printed above the right lines."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    place_date: str


@dataclass(frozen=True)
class Report:
    """A whole report: see the module docstring. ``code`` names the report (``quality``,
    ``staffing``, ``trend``); ``as_of_line`` is "Tính đến ngày dd/mm/yyyy" in ``lang``."""

    code: str
    lang: str
    issuer: tuple[str, ...]
    nation: tuple[str, str]
    title: str
    as_of: date
    as_of_line: str
    tables: tuple[Table, ...]
    signature: Signature
    subject: str = ""
    meta: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- header trees


def leaves(headers: Sequence[Header]) -> list[Column]:
    """The leaf columns of a header tree, left to right."""
    out: list[Column] = []
    for h in headers:
        if isinstance(h, Column):
            out.append(h)
        else:
            out.extend(leaves(h.children))
    return out


def header_depth(headers: Sequence[Header]) -> int:
    """The number of header rows the tree needs."""
    return (
        max((1 if isinstance(h, Column) else 1 + header_depth(h.children)) for h in headers) if headers else 0
    )


@dataclass(frozen=True)
class HeaderCell:
    """One (possibly merged) cell of the header rows: top-left ``row`` and ``col`` (0-based,
    relative to the first header row and first column), its spans, its label, and whether it
    is a leaf column."""

    row: int
    col: int
    rowspan: int
    colspan: int
    label: str
    leaf: bool


def header_cells(headers: Sequence[Header]) -> list[HeaderCell]:
    """The cells of the header rows: a group spans its leaves; a leaf spans down to the last
    header row (so "Tổng số" beside "Trong đó: Nữ, …" takes the full height)."""
    depth = header_depth(headers)
    cells: list[HeaderCell] = []

    def walk(nodes: Sequence[Header], row: int, col: int) -> int:
        for node in nodes:
            if isinstance(node, Column):
                cells.append(HeaderCell(row, col, depth - row, 1, node.label, True))
                col += 1
            else:
                width = len(leaves(node.children))
                cells.append(HeaderCell(row, col, 1, width, node.label, False))
                walk(node.children, row + 1, col)
                col += width
        return col

    walk(headers, 0, 0)
    return cells


def column_numbers(columns: Sequence[Column]) -> list[str]:
    """The column-numbering row: text columns are lettered A, B, …; figure columns numbered
    1, 2, … (REPORTS.md §1: "A, 1, 2, … 48"); a column's own ``number`` wins."""
    out, letters, numbers = [], 0, 0
    for c in columns:
        if c.number is not None:
            out.append(c.number)
        elif c.kind in ("int", "percent"):
            numbers += 1
            out.append(str(numbers))
        else:
            out.append(column_letter(letters))
            letters += 1
    return out


# --------------------------------------------------------------------------- words


def roman(n: int) -> str:
    """1 → I, 4 → IV, 12 → XII (group rows are numbered in Roman numerals)."""
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu ")


def place_name(name: str) -> str:
    """ "Tỉnh Lạng Sơn" → "Lạng Sơn" (the place written before "ngày … tháng … năm …")."""
    for p in _PREFIXES:
        if name.startswith(p):
            return name[len(p) :]
    return name


def nation_lines(lang: str) -> tuple[str, str]:
    """The national name and motto (the motto is printed underlined)."""
    return (
        tr(lang, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
        tr(lang, "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    )


def issuer_lines(level: str | None, name: str | None, lang: str) -> tuple[str, ...]:
    """The issuing body, in capitals: the People's Committee of the unit, and for a province or
    district its home-affairs office, which keeps the records (REPORTS.md §3)."""
    if not name:
        return (tr(lang, "BỘ NỘI VỤ", "MINISTRY OF HOME AFFAIRS"),)
    if lang == "en":
        first = f"PEOPLE'S COMMITTEE OF {name.upper()}"
        office = {"province": "DEPARTMENT OF HOME AFFAIRS", "district": "HOME AFFAIRS OFFICE"}.get(
            level or ""
        )
    else:
        first = f"UBND {name.upper()}"
        office = {"province": "SỞ NỘI VỤ", "district": "PHÒNG NỘI VỤ"}.get(level or "")
    return (first, office) if office else (first,)


def signature_for(level: str | None, name: str | None, lang: str) -> Signature:
    """ "Người lập biểu" on the left; on the right the head of the office that issues the report
    (province, district) or, for a commune, the People's Committee's vice-chair signing for the
    chair; the place is the unit's name without its kind."""
    place = place_name(name or "")
    right: tuple[str, ...]
    if lang == "en":
        left = ("Prepared by", "(signature, full name)")
        right = ("FOR THE CHAIR", "VICE CHAIR") if level == "commune_level" else ("HEAD OF THE OFFICE",)
        right = right + ("(signature, seal)",)
        place_date = f"{place}, date …… month …… year ……" if place else "Date …… month …… year ……"
    else:
        left = ("Người lập biểu", "(Ký, ghi rõ họ tên)")
        right = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") if level == "commune_level" else ("THỦ TRƯỞNG ĐƠN VỊ",)
        right = right + ("(Ký tên, đóng dấu)",)
        place_date = f"{place}, ngày …… tháng …… năm ……" if place else "Ngày …… tháng …… năm ……"
    return Signature(left=left, right=right, place_date=place_date)


def official_report(
    code: str,
    subject: dict,
    on: date,
    lang: str,
    *,
    title: str,
    as_of_line: str,
    tables: tuple,
    meta: dict | None = None,
) -> Report:
    """A report in the administrative frame (REPORTS.md §3) of ``subject`` (a dict with the
    unit's ``level`` and ``name``): its issuing body, the national motto and its signature
    block, around ``tables``."""
    level, name = subject.get("level"), subject.get("name")
    return Report(
        code=code,
        lang=lang,
        issuer=issuer_lines(level, name, lang),
        nation=nation_lines(lang),
        title=title,
        as_of=on,
        as_of_line=as_of_line,
        tables=tables,
        signature=signature_for(level, name, lang),
        subject=name or "",
        meta=meta or {},
    )


def iter_values(table: Table, column: Column) -> Iterator:
    for r in table.rows:
        yield r.values.get(column.key)
