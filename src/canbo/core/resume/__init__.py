"""The résumé of a cadre or civil servant — "Sơ yếu lý lịch cán bộ, công chức", Mẫu
2C-BNV/2008, issued with Quyết định 02/2008/QĐ-BNV of the Minister of Home Affairs — as data,
free of Django, and its two writers: :mod:`.docx` (a Word document officers can edit) and
:mod:`.pdf` (the same layout, fonts embedded).

The layout is the form's (``shared/domain/REPORTS.md`` §4): top left the managing and using
bodies and the staff number, top right "Mẫu 2C-BNV/2008"; the title; the photo box (4 × 6 cm)
beside items 1–5; numbered items 1–26 as the form words them; the tables of items 27 (training),
28 (work history), 30 (family: a) one's own, b) the spouse's side) and 31 (salary); the free
texts of items 29 and 32; the two signature blocks. :class:`Resume` holds every text already
formatted (dates dd/mm/yyyy, month/year where the form asks it); the adapter
(:mod:`canbo.registry.resume`) fills it from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORM_CODE = "Mẫu 2C-BNV/2008"
FORM_REFERENCE = "Ban hành kèm theo Quyết định số 02/2008/QĐ-BNV ngày 06/10/2008 của Bộ trưởng Bộ Nội vụ"
TITLE = "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC"
PHOTO_TEXT = "Ảnh màu\n(4 x 6 cm)"
#: What the form prints where a value is not recorded.
BLANK = "…"

TRAINING_COLUMNS = (
    "Tên trường",
    "Chuyên ngành đào tạo, bồi dưỡng",
    "Từ tháng, năm - đến tháng, năm",
    "Hình thức đào tạo",
    "Văn bằng, chứng chỉ, trình độ gì",
)
WORK_COLUMNS = (
    "Từ tháng, năm đến tháng, năm",
    "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã hội), kể cả "
    "thời gian được đào tạo, bồi dưỡng về chuyên môn, nghiệp vụ, …",
)
FAMILY_COLUMNS = (
    "Mối quan hệ",
    "Họ và tên",
    "Năm sinh",
    "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở (trong, ngoài "
    "nước); thành viên các tổ chức chính trị - xã hội …?",
)
SALARY_ROWS = ("Tháng/năm", "Mã ngạch/bậc", "Hệ số lương")

DECLARANT = "Người khai"
DECLARATION = "Tôi xin cam đoan những lời khai trên đây là đúng sự thật"
DECLARANT_HINT = "(Ký tên, ghi rõ họ tên)"
HEAD_OF_BODY = "Thủ trưởng cơ quan, đơn vị quản lý và sử dụng CBCC"
HEAD_HINT = "(Ký tên, đóng dấu)"


@dataclass(frozen=True)
class Item:
    """A numbered item of the form: its number ("15.1"), its words as printed, the value."""

    number: str
    label: str
    value: str

    @property
    def text(self) -> str:
        return f"{self.number}) {self.label}: {self.value or BLANK}"


@dataclass(frozen=True)
class Line:
    """A line of the form holding several items ("3) Sinh ngày …, Giới tính …")."""

    parts: tuple[Item, ...]

    @property
    def runs(self) -> list[tuple[str, bool]]:
        """The line as (text, bold) runs: the form's words regular, the values bold."""
        out: list[tuple[str, bool]] = []
        for i, p in enumerate(self.parts):
            out.append((f"{p.number}) {p.label}: " if i == 0 else f", {p.label}: ", False))
            out.append((p.value or BLANK, bool(p.value)))
        return out

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass
class Resume:
    """One person's résumé as the form prints it (every text formatted)."""

    managing_body: str
    using_body: str
    staff_number: str
    #: Items 1–5, printed beside the photo box.
    head: list[Line]
    #: Items 6–26.
    body: list[Line]
    training: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # item 27
    work: list[tuple[str, str]] = field(default_factory=list)  # item 28
    self_history: str = ""  # item 29
    family_own: list[tuple[str, str, str, str]] = field(default_factory=list)  # item 30 a
    family_spouse: list[tuple[str, str, str, str]] = field(default_factory=list)  # item 30 b
    salary: list[tuple[str, str, str]] = field(default_factory=list)  # item 31
    assessment: str = ""  # item 32
    #: The place of the signing date ("Lạng Sơn, ngày … tháng … năm 20…").
    place: str = ""
    #: Who printed it and when (the footer of every page).
    printed_by: str = ""
    #: The declarant's name, written under their signature (in the name's own case).
    declarant: str = ""
    #: Items left out because the user may not see them (printed as such).
    withheld: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [*self.head, *self.body]

    def item(self, number: str) -> Item:
        """The item numbered ``number`` (for tests and the writers)."""
        for line in self.lines:
            for p in line.parts:
                if p.number == number:
                    return p
        raise KeyError(number)


def salary_blocks(salary: list[tuple[str, str, str]], per_block: int = 8) -> list[list[tuple[str, str, str]]]:
    """Item 31's changes in blocks of ``per_block`` columns (the form's table grows to the right;
    a long history continues on a second band of the same three rows). At least one block, so
    that the table is printed to be filled in."""
    blank = ("", "", "")
    blocks = [salary[i : i + per_block] for i in range(0, len(salary), per_block)] or [[]]
    # The last band is filled out with empty columns, room for the next changes by hand.
    blocks[-1] = blocks[-1] + [blank] * (per_block - len(blocks[-1]))
    return blocks


def signing_line(place: str) -> str:
    """ "Lạng Sơn, ngày … tháng … năm 20…" — the date is written by hand when signed."""
    return f"{place or '…'}, ngày … tháng … năm 20…"
