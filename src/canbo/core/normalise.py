"""Free-text Vietnamese qualifications → dimension, level, field of study, study mode.

Reads the qualification cells of hand-typed Excel lists of commune staff ("ĐH Luật", "12/12 BT",
"TC LLCT-HC", "Anh B", "Tin học văn phòng", "Chưa qua đào tạo") into the dimensions and level
codes of :mod:`canbo.core.scales`, the field codes of ``FIELDS_OF_STUDY`` and the mode codes of
``STUDY_MODES``. :func:`read_qualifications` never guesses: a text it cannot read, or that could
be read two ways and has no column ``hint`` to decide, comes back with ``level=None``,
``confidence=0`` and a reason in Vietnamese and English.

What is read, and the conventions chosen
=======================================

Typing. Matching is diacritic- and case-insensitive (:func:`canbo.core.text.fold`) after NFC
normalisation, so "Dai hoc Luat", "ĐẠI HỌC LUẬT" and NFD-decomposed input read alike; the
Icelandic "Ð"/"ð" (U+00D0/U+00F0) and the African "Ɖ"/"ɖ" typed for "Đ"/"đ" count as "Đ"/"đ";
dots between abbreviation letters are dropped ("Th.S", "Đ.H"), other punctuation is space;
Excel numbers may come as "12" or "12.0".

General education (Law on Education 2019, Art. 28: primary = grades 1–5, lower secondary =
6–9, upper secondary = 10–12). "x/12" is the 12-year system: 12 → upper secondary, 9–11 →
lower secondary, 5–8 → primary. "x/10" is the old 10-year system of the North before the 1981
reform (cấp 1 = grades 1–4, cấp 2 = 5–7, cấp 3 = 8–10): 10 → upper secondary, 7–9 → lower
secondary, 4–6 → primary. Below that (did not complete primary), x > y, x = 0 or another
number of grades → unknown with the reason. "THPT/PTTH/Cấp 3", "THCS/PTCS/Cấp 2",
"Tiểu học/Cấp 1" name the level in both systems. "Bổ túc", "BT", "BTVH", "GDTX" mark
remedial (bổ túc văn hóa) education. A grade without its system ("Lớp 12", or a bare "12" in a
general-education column) is read only where both systems agree (12, 11, 9, 6, 5) — "Lớp 10",
"Lớp 8", "Lớp 7", "Lớp 4" are unknown with both readings named.

Professional (trình độ chuyên môn): sơ cấp, trung cấp (also "THCN", "trung cấp nghề"), cao
đẳng, đại học (also cử nhân, kỹ sư, bác sĩ, kiến trúc sư), thạc sĩ (also "cao học"), tiến sĩ.
The field of study is read from the words after the level (before it when there are none:
"Kế toán trung cấp"); a major named with "chuyên ngành"/"ngành" wins ("ĐH Kinh tế, chuyên
ngành Kế toán" is accounting). Vietnamese names a field head
first ("Luật kinh tế" is law, "Kinh tế nông nghiệp" economics, "Kế toán tài chính"
accounting), so the first field phrase wins; fields joined by "-", "/", "&" or "và" that
disagree ("Kinh tế - Luật", "Văn phòng - Thống kê", and "Nông lâm", which names both
agriculture and forestry) give field "" — never one of them.
"Xây dựng Đảng" is political science, not construction; "Kiến trúc" is construction (the
"Kiến trúc và xây dựng" group of the national list of training fields); "Thủy sản" and
"Phát triển nông thôn" are agriculture (the "Nông, lâm nghiệp và thủy sản" group); "Quản trị
kinh doanh" is economics. A field phrase that is clearly a field outside ``FIELDS_OF_STUDY``
(medicine, pharmacy, nursing, foreign languages — so "ĐH tiếng Anh" —, literature, history,
mathematics, office/archives, tourism, mechanics, electricity, irrigation, surveying…) gives
field "other" with confidence 0.9; a word that is not recognised at all ("ĐH Quản lý") gives
field "". Study mode: chính quy/CQ → full_time, tại chức/vừa làm vừa học/VLVH/VHVL →
in_service, từ xa → distance, liên thông/LT → bridging; "liên thông" together with a form
("liên thông chính quy") keeps the form, since ``STUDY_MODES`` are forms of study; two forms
that contradict give "".

Political theory (the Party Regulation on political-theory training levels cited in
:mod:`canbo.core.scales`): sơ cấp, trung cấp, cao cấp ("LLCT", "LLCT-HC", "chính trị", in
either order: "LLCT: Trung cấp"); "Cử nhân chính trị", "CN LLCT", "ĐH chính trị" are the
political-theory bachelor, which ranks with cao cấp; "Cử nhân chính trị học" (a degree in the
field "chính trị học") is a professional university degree in political science.

State management: the QLNN certificate by rank programme — cán sự, chuyên viên, chuyên viên
chính, chuyên viên cao cấp. A rank without "QLNN" ("Chuyên viên", "CVC") may be the
civil-service rank itself, not the certificate: it is read only in a state-management column.

IT: the old A/B/C certificates (ranked in :mod:`canbo.core.scales`) and the basic /
advanced IT-skill standard of Circular
03/2014/TT-BTTTT ("Ứng dụng CNTT cơ bản", "CNTT nâng cao"); "Tin học văn phòng" (office IT,
with no level) is inferred to be basic, confidence 0.6. A degree in IT ("Đại học CNTT",
"Trung cấp tin học") is professional, whatever the column.

Foreign language: old certificates A/B/C (ranked in :mod:`canbo.core.scales`) and bậc 1–6 of
the six-level framework of Circular 01/2014/TT-BGDĐT (A1 → level_1 … C2 → level_6; "Bậc 3/6" →
level_3). A CEFR code without a language ("B1") reads as the framework level with confidence
0.9 (1.0 in a foreign-language column; unknown in another column — "B1" is also a
driving-licence class); "Bậc 3" alone reads only in a foreign-language column ("bậc" is also
a salary step), "Bậc 3/6" anywhere. A certificate letter must stand apart from the language
("Anh B", "AVB"), so that words like "tác" or "hoặc" are not read as "TA C" or "Hoa C". IELTS/TOEIC/TOEFL scores are
left unknown (no conversion table is applied). A language that is both a neighbouring
country's and a Vietnamese ethnic group's (Hoa, Khmer/Khơ-me, Lào) is a foreign language when a
lettered certificate or a bậc is given, otherwise it needs the column.

Ethnic-minority language: "Tiếng Tày", "Tiếng Nùng", … (the names of the 54
groups of :mod:`canbo.core.ethnicity` but Kinh) read as ``certificate`` (1.0) when the text says
"chứng chỉ"; otherwise as ``spoken``, the level below: 1.0 with "nói được", "thành thạo", 0.9
for a bare language name (the 2C personnel form records "the ethnic language certified or
spoken fluently", so a bare name is certain only to be spoken). "Tiếng dân tộc (thiểu số)",
"Tiếng DTTS" with no language named is the item's own name (the 2C form's heading, a column's
title), like "Ngoại ngữ": unknown, unless it says "chứng chỉ" or "nói được", "biết". "Tiếng Thái" is the Thái group's language; "Tiếng Thái Lan" is
Thai, a foreign language.

Hints. ``hint`` (the column's dimension) decides bare texts: "A"/"B"/"C" and "Chứng chỉ B"
(IT or foreign language), "Trung cấp"/"TC" and "Sơ cấp"/"SC" (political theory or
professional), "Cao cấp" (political theory, or chuyên viên cao cấp in a state-management
column), "CC" (cao cấp in a political-theory column), "Chuyên viên"/"CVC"/"Cán sự" (state
management), "Cơ bản"/"Nâng cao" (IT), a bare grade number (general education), a bare
"Đại học"/"Cử nhân" with no field (the political-theory bachelor in a political-theory
column). A text that names its dimension overrides the hint ("ĐH Luật" in a political-theory
column is still a professional degree).

Several qualifications in one cell are split at "," ";" "+" "|" newlines, " - " (space, dash,
space) and " và "/" & ", and also where a second qualification starts without a separator
("ĐH Luật TC LLCT"). A piece that holds no qualification of its own ("hành chính" in "Trung
cấp LLCT - hành chính", "Luật" in "Kinh tế - Luật") stays with the piece before it, and two
pieces that read better together ("Trung cấp - LLCT", "Tin học - B") are joined; "12/12",
"7/10" and "LLCT-HC" are never split. Right after a professional level, a level-like word is
part of its field ("Trung cấp tin học văn phòng", "ĐH Sư phạm Tiểu học", "Trung cấp Y sĩ").

"None" texts ("Chưa qua đào tạo", "Chưa qua ĐT", "Không", "Chưa có", "-", "Không biết chữ")
give one reading with ``none=True``: its dimension is the one the text names ("Chưa có chứng
chỉ tin học"), else the hint, else professional for "chưa qua đào tạo" and general education for
"không biết chữ". "x" is a tick mark, not "none": it is unknown. Studies still in progress
("Đang học ĐH", "ĐH năm 3", "Chưa tốt nghiệp", "Chờ cấp bằng") are not yet qualifications:
unknown (only that one: "ĐH Luật (đang học ThS)" keeps the degree). An Excel date
("2024-12-12", likely a "12/12" Excel converted) is unknown with a reason saying so.

Left unknown on purpose: a field or school without a level ("Kế toán", "Học viện Hành
chính"), a title that is not a level ("Dược sĩ": university or intermediate), "Trung học"
(lower or upper secondary, or professional), grades, marks and tick marks ("Khá", "x"),
international test scores, and every text of the kinds above that the column cannot decide.

Never inventing a degree (issue 9, item 5). Only words that name a degree or certificate give
a level: a school's or institution's name ("Trường Đại học …", "Học viện …", "Trường Trung cấp
Chính trị", or a level word followed by a place or a school's own name: "ĐHSP Hà Nội", "Cao đẳng
Sư phạm Thái Nguyên", "ĐH Kinh tế quốc dân") is unknown with that reason, and is dropped when
the same piece names the degree ("KS Nông nghiệp (ĐH Nông Lâm Thái Nguyên)"). "Sau đại học",
"trên đại học", "dưới trung cấp" are not the level they contain; a piece about a programme's
exit standard ("chuẩn đầu ra B1") or a course certificate ("chứng chỉ môn học") is unknown. A
piece that starts with a negation of a dimension ("Không biết tiếng Tày", "Chưa có chứng chỉ
tin học") is an explicit none on it; a negation of one level ("Chưa có bằng đại học", "Không
có chứng chỉ tiếng Anh B") is unknown, since a lower level (a college diploma, certificate A)
may be held. A piece naming two different levels of one dimension
("Cử nhân (Cao đẳng)", "Cao đẳng/Đại học") is unknown with both named. An ethnic group's name
is matched with its diacritics when the cell was typed with diacritics ("Tiếng Tây" is not
"Tiếng Tày"; "Tây Ban Nha" is Spanish, a foreign language); a cell typed without any is folded.
Speaking an ethnic language ("nói được", "thành thạo", "biết nói" with "tiếng Tày") is the
``spoken`` level, below the certificate.

Found on the corpus of real strings (``tests/core/qualification_corpus.tsv``): a school is also
known by a university system or place run into an abbreviation ("ĐH Ngoại ngữ - ĐHQGHN", "ĐH
SPHN"), a number ending its name ("ĐH Sư phạm 1") or a foreign country or city ("ĐH INSA Rennes
(Pháp)"); a teaching-skills course and the staff it is for ("Chứng chỉ NVSP cho GV Đại học, Cao
đẳng") and the education sector ("giáo dục CĐ, ĐH") give no level; "dự bị đại học" is not a
level; "… (tương đương)" is a group of levels, and a cell listing only bare levels of one
dimension ("Thạc sỹ, tiến sỹ") does not say which was earned — both unknown; "Nghiên cứu sinh"
is still studying; "CN" is cử nhân only at the start of a piece ("CN Luật", "Bằng CN Kinh tế")
and, with no field, only in a professional column (it is also công nghiệp, công nghệ: "Xây
dựng DD và CN", "chuyển giao CN tin học"); a school named before its university with " - "
("ĐH Sư Phạm - ĐH Thái Nguyên") is a school; so is "Đại học" followed only by a school's own
name that is no major of the national list ("ĐH Ngoại thương", "ĐH Công nghệ", "ĐH Khoa học Xã
hội và Nhân văn" — but "Cử nhân Ngoại thương" is a degree); bare levels listed with a word of
two dimensions ("Cao cấp, cử nhân") do not say the dimension; "Sư phạm ĐH", "Sư phạm 2 ĐH, CĐ"
(sư phạm đại học, the teaching-skills course for lecturers) give no level; "Bác sĩ chuyên khoa",
"Bác sĩ CK II" (specialist training after the degree, not an academic degree) are unknown;
"Trung cấp lý luận nghiệp vụ …" ("lý luận" without "chính trị") needs the column to tell
political theory from a professional diploma.

Confidence: 1.0 for an exact, unambiguous text; 0.9 when the level is certain but something is
left implicit (a grade without its system, a framework level without its language, a field
outside the list, a language without "chứng chỉ"); 0.8 when the reading depends on the column
hint; 0.6 when it is inferred ("Tin học văn phòng" → basic); 0 for unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from canbo.core.ethnicity import KINH_CODE, load_ethnic_groups
from canbo.core.scales import DIMENSION_LABELS, SCALES, Dimension
from canbo.core.text import fold

__all__ = [
    "CONFIDENCE_EXACT",
    "CONFIDENCE_HINT",
    "CONFIDENCE_INFERRED",
    "CONFIDENCE_NEAR",
    "ReadQualification",
    "read_qualifications",
]

#: An exact, unambiguous text ("ĐH Luật", "12/12", "TC LLCT").
CONFIDENCE_EXACT = 1.0
#: The level is certain but something is implicit ("Lớp 12", "B1", a field outside the list).
CONFIDENCE_NEAR = 0.9
#: The reading depends on the column hint ("B" in an IT column).
CONFIDENCE_HINT = 0.8
#: The reading is an inference ("Tin học văn phòng" → basic IT).
CONFIDENCE_INFERRED = 0.6


@dataclass(frozen=True)
class ReadQualification:
    """One qualification read from free text.

    ``dimension``/``level`` are ``None`` when the text could not be read; then ``reason_vi`` and
    ``reason_en`` say why, and ``confidence`` is 0. ``text`` is the fragment this was read from.
    A reading that is not exact (hint-dependent, inferred, field unclear) also says why in the
    reasons.
    """

    text: str
    dimension: Dimension | None
    level: str | None
    field_of_study: str = ""
    study_mode: str = ""
    is_remedial: bool = False
    confidence: float = 0.0
    reason_vi: str = ""
    reason_en: str = ""
    #: The text states explicitly that there is no qualification on ``dimension``
    #: ("Chưa qua đào tạo", "Không"): read, but nothing to record.
    none: bool = False

    @property
    def known(self) -> bool:
        return self.dimension is not None and self.level is not None


def read_qualifications(text: str, hint: Dimension | str | None = None) -> list[ReadQualification]:
    """Read every qualification in ``text`` (one cell). ``hint`` is the dimension of the column
    the text came from ("Trình độ tin học" → IT), used when the text alone is ambiguous
    ("B", "Trung cấp"). An empty cell gives an empty list."""
    if text is None:
        return []
    if not isinstance(text, str):
        text = str(text)
    return list(_read_cell(text, Dimension(hint) if hint is not None else None))


# ============================================================================ text preparation

_D = Dimension
_GE, _PROF, _PT, _SM, _IT, _FL, _ETH = (
    _D.GENERAL_EDUCATION, _D.PROFESSIONAL, _D.POLITICAL_THEORY, _D.STATE_MANAGEMENT, _D.IT,
    _D.FOREIGN_LANGUAGE, _D.ETHNIC_LANGUAGE,
)  # fmt: skip

_PRE = str.maketrans(
    {
        "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ",  # Ð ð Ɖ ɖ typed for Đ đ
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\ufeff": "",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\uff0f": "/", "\u2044": "/", "\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
    }
)  # fmt: skip


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_PRE)


class _FoldTable(dict):
    """``str.translate`` table: each character → its :func:`fold`, always one character (so
    positions stay aligned), filled on first sight."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        f = fold(c)
        if len(f) != 1:
            low = c.lower()
            f = low if len(low) == 1 else c
        self[code] = f
        return f


_FOLD_TABLE = _FoldTable()


def _fold_aligned(s: str) -> str:
    return s.translate(_FOLD_TABLE)


def _normalise(s: str) -> tuple[str, tuple[int, ...]]:
    """Folded, cleaned text of ``s`` (already NFC) and, for each of its characters, the index
    of the character of ``s`` it comes from. Coordinators ("-", "/", "&", "\\") become " - ";
    a "/" between numbers stays "/"; a "." or "," between digits becomes "."."""
    f = _fold_aligned(s)
    n = len(f)
    raw: list[tuple[str, int]] = []
    for i, c in enumerate(f):
        if c.isalnum():
            if c.isalpha() and raw and raw[-1][0].isdigit():
                raw.append((" ", i))  # "12/12BT" → "12/12 bt" (but "B1", "lop12" stay)
            raw.append((c, i))
        elif c in "/\\":
            j, k = i - 1, i + 1
            while j >= 0 and f[j] == " ":
                j -= 1
            while k < n and f[k] == " ":
                k += 1
            raw.append(("/" if j >= 0 and k < n and f[j].isdigit() and f[k].isdigit() else "-", i))
        elif c in "-&+":
            raw.append(("-", i))
        elif c in ".,":
            prev = f[i - 1] if i else ""
            nxt = f[i + 1] if i + 1 < n else ""
            if prev.isdigit() and nxt.isdigit():
                raw.append((".", i))
            elif c == "." and prev.isalpha() and nxt.isalpha():
                j = i - 1
                while j >= 0 and f[j].isalpha():
                    j -= 1
                k = i + 1
                while k < n and f[k].isalpha():
                    k += 1
                if (i - 1 - j) <= 2 and (k - i - 1) <= 2:
                    continue  # "th.s", "đ.h", "t.c": one abbreviation
                raw.append((" ", i))
            else:
                raw.append((" ", i))
        elif c == "'":
            continue  # H'Mông, K'Ho
        else:
            raw.append((" ", i))
    out: list[str] = []
    idx: list[int] = []
    for c, i in raw:
        if c == " ":
            if out and out[-1] != " ":
                out.append(" ")
                idx.append(i)
        elif c == "-":
            last = next((x for x in reversed(out) if x != " "), None)
            if last is None or last == "-":
                continue
            if out[-1] != " ":
                out.append(" ")
                idx.append(i)
            out.extend("- ")
            idx.extend((i, i))
        else:
            out.append(c)
            idx.append(i)
    while out and out[-1] in " -":
        out.pop()
        idx.pop()
    return "".join(out), tuple(idx)


def _rx(src: str) -> re.Pattern[str]:
    """Compile ``src`` with every literal space meaning "one or more spaces", anchored on
    word edges (letters and digits)."""
    return re.compile(r"(?<![a-z0-9])(?:" + src.replace(" ", r"\s+") + r")(?![a-z0-9])")


def _full(src: str) -> re.Pattern[str]:
    return re.compile(r"\s*(?:" + src.replace(" ", r"\s+") + r")\s*")


# ============================================================================ vocabulary

_LABEL_VI = {d: DIMENSION_LABELS[d][0].lower() for d in Dimension}
_LABEL_EN = {d: DIMENSION_LABELS[d][1].lower() for d in Dimension}
_LEVEL_LABEL = {(d, lv.code): (lv.label_vi, lv.label_en) for d, scale in SCALES.items() for lv in scale}


def _lv(dim: Dimension, code: str | None) -> tuple[str, str]:
    if code is None:
        return ("chưa hết tiểu học", "primary not completed")
    vi, en = _LEVEL_LABEL[(dim, code)]
    return vi.lower(), en.lower()


# --- general education
_GE_FRAC = re.compile(r"(?<![0-9./])(\d{1,2})\s*/\s*(\d{1,2})(?![0-9/]|\.\d)")
_GE_LOP = _rx(r"(?:het |hoc het )?lop\s*(\d{1,2})(?:\.0+)?(?:\s*/\s*(\d{1,2}))?")
_GE_BT = _rx(r"(?:btvh|bt vh|bt|bo tuc van hoa|bo tuc|gdtx)\s*(?:lop\s*)?(\d{1,2})(?:\.0+)?(?!\s*/)")
_GE_BT2 = re.compile(r"(?<![0-9a-z./])(\d{1,2})(?:\.0+)?\s+(?:btvh|bt vh|bt|bo tuc)(?![a-z0-9])")
_GE_WORDS = {
    "upper_secondary": r"thpt|ptth|pt th|th pt|trung hoc pho thong|pho thong trung hoc|cap 3|cap iii|cap ba",
    "lower_secondary": r"thcs|ptcs|th cs|pt cs|trung hoc co so|pho thong co so|cap 2|cap ii|cap hai",
    "primary": r"tieu hoc|cap 1|cap i|cap mot",
}
_GE_WORD = [(code, _rx(src)) for code, src in _GE_WORDS.items()]
_REMEDIAL = _rx(r"btvh|bt vh|bt|bo tuc van hoa|bo tuc|gdtx|giao duc thuong xuyen|bttx")

# --- political theory
_PT_MARK = r"(?:ly luan chinh tri|ly luan ct|llct|ll ct|chinh tri(?!\s*hoc)|ly luan(?!\s*nghiep vu)|ll)"
_PT_SUFFIX = r"(?:\s*(?:hanh chinh|hc)(?![a-z0-9]))?"
_PT1 = _rx(r"(?P<lv>so cap|trung cap|cao cap|cu nhan|dai hoc|sc|tc|cc|cn|dh)\s*" + _PT_MARK + _PT_SUFFIX)
_PT2 = _rx(r"(?P<lv>so cap|trung cap|cao cap|sc|tc|cc)\s*ct(?:\s*hc)?")
_PT3 = _rx(
    _PT_MARK
    + _PT_SUFFIX
    + r"\s*(?:(?:trinh do|he|bac)\s*)?(?P<lv>so cap|trung cap|cao cap|cu nhan|sc|tc|cc|cn)"
)
_PT_LEVEL = {
    "so cap": "elementary", "sc": "elementary", "trung cap": "intermediate", "tc": "intermediate",
    "cao cap": "advanced", "cc": "advanced",
    "cu nhan": "bachelor", "cn": "bachelor", "dai hoc": "bachelor", "dh": "bachelor",
}  # fmt: skip

# --- state management
_SM_MARK = (
    r"(?:bd\s*|boi duong\s*)?(?:qlnn|ql\s*nn|quan ly nha nuoc|ql nha nuoc|quan ly hanh chinh nha nuoc|qlhcnn)"
)
_SM_RANK = r"(?P<rk>chuyen vien cao cap|chuyen vien chinh|chuyen vien|can su|cvcc|cvc|cv{cs})"
_SM1 = _rx(
    _SM_MARK
    + r"\s*(?:(?:chuong trinh|ngach|ct|hang|danh cho|doi voi)\s*)*"
    + _SM_RANK.format(cs="|cs|cao cap")
)
_SM2 = _rx(r"(?:ngach\s*)?" + _SM_RANK.format(cs="") + r"\s*(?:ve\s*)?" + _SM_MARK)
_SM_BARE = _rx(r"(?:ngach\s*)?" + _SM_RANK.format(cs=""))
_SM_LEVEL = {
    "chuyen vien cao cap": "senior_specialist", "cvcc": "senior_specialist",
    "chuyen vien chinh": "principal_specialist", "cvc": "principal_specialist",
    "chuyen vien": "specialist", "cv": "specialist", "can su": "clerk", "cs": "clerk",
    "cao cap": "senior_specialist",  # "QLNN cao cấp": the senior-specialist programme
}  # fmt: skip

# --- IT
_IT_MARK = (
    r"(?:tin hoc|tin|th|vi tinh|may tinh|cntt|cong nghe thong tin|ud\s*cntt|ung dung cntt"
    r"|ung dung cong nghe thong tin)"
)
_IT_CERT = r"(?:chung chi|cc|bang|chung nhan)"
_IT1 = _rx(
    r"(?:" + _IT_CERT + r"\s*)?(?:" + _IT_MARK + r"(?:\s*(?:van phong|vp))?\s+"
    r"(?:(?:trinh do|chung chi|cc|bang|loai|trinh|chuan|ky nang|muc|ung dung)\s+)?"
    r"(?P<lv>nang cao|co ban|can ban|[abc]|cb|nc)|tin(?P<lv2>[abc]))"
)
_IT2 = _rx(_IT_CERT + r"\s*(?P<lv>[abc])\s*(?:tin hoc|tin|th|vi tinh|may tinh)")
_IT3 = _rx(r"(?:" + _IT_CERT + r"\s*)?(?:tin hoc|th|tin|vi tinh) (?:van phong|vp)")
_IT_LEVEL = {
    "a": "certificate_a", "b": "certificate_b", "c": "certificate_c",
    "co ban": "basic", "can ban": "basic", "cb": "basic", "nang cao": "advanced", "nc": "advanced",
}  # fmt: skip

# --- foreign language
_LANG = (
    r"(?:tieng tay ban nha|tay ban nha|tieng bo dao nha|bo dao nha|tieng mong co|tieng anh|anh van|anh ngu|t anh|tanh|anh|av|ta|english|tieng trung|trung van|trung quoc"
    r"|trung|tieng hoa|hoa van|hoa ngu|hoa|tieng phap|phap van|phap ngu|phap|tieng nga|nga van|nga"
    r"|tieng duc|duc|tieng nhat|nhat ngu|nhat|tieng han|han quoc|han ngu|han|tieng lao|lao"
    r"|tieng khmer|khmer|tieng kho me|tieng thai lan|thai lan|ngoai ngu|nn)"
)
_FL_LVL = r"(?:bac\s*(?P<bac>[1-6])(?:\s*/\s*6)?|(?P<cefr>[abc][12])|(?P<cert>[abc]))"
_FL_FILLER = r"(?:(?:trinh do|chung chi|cc|bang|loai|trinh|khung|he|muc)\s*)?"
#: A certificate letter must be set apart from the language ("Anh B"; "tác" is not "TA C",
#: "hoặc" not "Hoa C"), except in the usual "AVB"/"AnhB"; a bậc or CEFR level may be joined.
_FL1 = _rx(
    r"(?:(?:chung chi|cc|bang)\s*)?(?:"
    + _LANG
    + r"\s*"
    + _FL_FILLER
    + r"(?:bac\s*(?P<bac>[1-6])(?:\s*/\s*6)?|(?P<cefr>[abc][12]))"
    + r"|"
    + _LANG
    + r"\s+"
    + _FL_FILLER.replace(r"\s*)?", r"\s+)?")
    + r"(?P<cert>[abc])"
    + r"|(?:av|anh)(?P<cert2>[abc]))"
)
_FL2 = _rx(r"(?:chung chi|cc|bang|trinh do)\s*" + _FL_LVL + r"\s*(?:(?:tieng|mon)\s*)?" + _LANG)
_FL3 = _rx(r"(?:bac\s*(?P<bac>[1-6])|(?P<cefr>[abc][12]))\s*(?:tieng\s*)?" + _LANG)
_FL4 = _rx(r"bac\s*(?P<bac>[1-6])\s*/\s*6")
_CEFR = {"a1": "level_1", "a2": "level_2", "b1": "level_3", "b2": "level_4", "c1": "level_5", "c2": "level_6"}

# --- ethnic-minority language
#: Languages of both a neighbouring country and a Vietnamese ethnic group.
_ETH_AMBIGUOUS = {"hoa", "khmer", "khome", "lao", "thai"}
_ETH_EXTRA = (
    "Mèo", "H'Mông", "HMông", "Ê Đê", "Ê-đê", "Gia Rai", "Ba Na", "Xơ Đăng", "Cơ Ho", "Khmer",
    "Khơ Me", "M'Nông", "X'Tiêng", "Vân Kiều", "Bru", "Cơ Tu", "Tà Ôi", "Chơ Ro", "Chu Ru",
    "Ra Glai", "Mán", "Cao Lan", "Sán Chỉ", "Pa Cô", "Thổ", "Hrê",
)  # fmt: skip


def _ethnic_names() -> list[str]:
    names: set[str] = set()
    raw: list[str] = list(_ETH_EXTRA)
    for g in load_ethnic_groups():
        if g.code == KINH_CODE:
            continue
        raw.append(g.name_vi)
        raw.append(re.sub(r"\(.*?\)", "", g.name_en_or_alt))
    for name in raw:
        words = _normalise(_nfc(name))[0].replace("-", " ").split()
        if words:
            names.add(r"\s*".join(words))
    return sorted(names, key=len, reverse=True)


_ETH_NAMES = "|".join(_ethnic_names())


def _typed_key(name: str) -> str:
    """A name as typed, diacritics kept: lower case, without spaces, hyphens or apostrophes."""
    return re.sub(r"[\s'\-]+", "", _nfc(name).lower())


def _typed_ethnic_names() -> frozenset[str]:
    """The ethnic-group names as they are written with their diacritics ("tày", "êđê"), and the
    other names of a group that are not just its name without diacritics ("khmer", "hmong" —
    but not "tay", which is "Tày" or "Tây")."""
    typed: set[str] = set()
    for name in _ETH_EXTRA:
        typed.add(_typed_key(name))
    for g in load_ethnic_groups():
        if g.code == KINH_CODE:
            continue
        typed.add(_typed_key(g.name_vi))
        plain = {fold(_typed_key(g.name_vi))}
        for alt in re.split(r"[()]", g.name_en_or_alt):
            key = _typed_key(alt)
            if key and key not in plain and _typed_key(fold(key)) != fold(_typed_key(g.name_vi)):
                typed.add(key)
    return frozenset(typed)


_ETH_TYPED = _typed_ethnic_names()


def _has_marks(text: str) -> bool:
    """True if ``text`` was typed with Vietnamese diacritics (any letter that folds to another)."""
    return any(c.isalpha() and not c.isascii() for c in text)


_ETH1 = _rx(
    r"(?:(?:chung chi|cc|bang|chung nhan)\s*)?tieng\s*(?:(?:dan toc|dtts|dt)\s*(?:thieu so\s*)?)?"
    r"(?P<name>" + _ETH_NAMES + r")(?!\s*lan(?![a-z0-9]))(?!\s*ban\s*nha(?![a-z0-9]))(?!\s*co(?![a-z0-9]))"
)
_ETH2 = _rx(r"(?:(?:chung chi|cc|bang|chung nhan)\s*)?tieng\s*(?:dan toc(?:\s*thieu so)?|dtts|dt)")
_CERT_WORD = _rx(r"chung chi|cc|bang|chung nhan")

# --- professional
_PROF_HEADS = (
    (
        "university",
        _rx(r"(?P<w>dai hoc|d hoc|dhoc|dhsp|dh|cu nhan|cn|k[iy] su|ks|bac s[iy]|kien truc su|kts)"),
    ),
    ("master", _rx(r"(?P<w>thac s[iy]|ths|cao hoc)")),
    ("doctorate", _rx(r"(?P<w>(?:pgs\s*|gs\s*)?(?:tien s[iy]|ts))")),
    ("college", _rx(r"(?P<w>cao dang|cdsp|cd)")),
    (
        "intermediate",
        _rx(r"(?P<w>trung hoc chuyen nghiep|thcn|tccn|trung cap nghe|trung cap chuyen nghiep|tcn|y s[iy])"),
    ),
    ("elementary", _rx(r"(?P<w>so cap nghe|scn)")),
)
#: Abbreviated heads: right after another professional head they are part of it ("KS CN ...").
_PROF_ABBREV = {"dh", "cn", "ks", "ts", "ths", "cd", "tcn", "scn", "kts", "tc", "sc", "ysi", "ysy"}
_IMPLIED_FIELD = {
    "bac si": "other", "bac sy": "other", "y si": "other", "y sy": "other",
    "kien truc su": "construction", "kts": "construction", "dhsp": "education", "cdsp": "education",
}  # fmt: skip
_AMB = _rx(r"(?P<w>trung cap|tc|so cap|sc|cao cap)")
_PROF_TAIL_WORD = _rx(r"nghe|chuyen nghiep|chuyen mon|nghiep vu|chuyen nganh|nganh")

# --- fields of study: phrase → code; the phrase that starts first wins, then the longest.
_FIELD_PHRASES: dict[str, tuple[str, ...]] = {
    "political_science": (
        "xay dung dang", "xay dung dang va chinh quyen nha nuoc", "chinh tri hoc", "chinh tri",
        "khoa hoc chinh tri",
    ),
    "law": ("luat", "luat hoc", "phap luat", "phap ly"),
    "economics": (
        "kinh te", "qlkt", "quan ly kinh te", "quan tri kinh doanh", "qtkd", "kinh doanh",
        "thuong mai", "ngoai thuong", "quan tri", "marketing", "kinh te hoc",
    ),
    "accounting": ("ke toan", "kiem toan", "ke toan doanh nghiep"),
    "finance": ("tai chinh", "ngan hang", "tai chinh ngan hang", "tcnh"),
    "agriculture": (
        "nong hoc", "nong nghiep", "trong trot", "chan nuoi", "thu y", "khuyen nong",
        "bao ve thuc vat", "khoa hoc cay trong", "cay trong", "thuy san", "nuoi trong thuy san",
        "phat trien nong thon", "chan nuoi thu y",
    ),
    "forestry": ("lam nghiep", "lam sinh", "lam hoc", "quan ly tai nguyen rung", "kiem lam"),
    "land_management": ("quan ly dat dai", "qldd", "dia chinh", "dat dai", "do dac dia chinh", "quan ly dat"),
    "construction": (
        "xay dung", "cau duong", "dan dung", "xay dung dan dung", "ky thuat cong trinh",
        "cong trinh", "kien truc", "xay dung cau duong",
    ),
    "environment": ("moi truong", "tai nguyen moi truong", "tai nguyen va moi truong", "quan ly tai nguyen"),
    "public_administration": (
        "hanh chinh", "hanh chinh hoc", "hanh chinh cong", "quan ly nha nuoc", "qlnn",
        "quan ly cong", "hanh chinh nha nuoc",
    ),
    "culture": ("van hoa", "quan ly van hoa", "van hoa du lich", "van hoa quan chung"),
    "social_work": ("cong tac xa hoi", "ctxh"),
    "statistics": ("thong ke",),
    "information_technology": (
        "cong nghe thong tin", "cntt", "tin hoc", "may tinh", "khoa hoc may tinh",
        "he thong thong tin", "tin hoc van phong", "ky thuat phan mem",
    ),
    "education": (
        "su pham", "sp", "giao duc", "quan ly giao duc", "giao duc tieu hoc", "mam non",
        "tieu hoc", "giao duc mam non", "giao vien",
    ),
    "military": ("quoc phong", "quan su", "chi huy quan su", "quan su co so", "bien phong", "chi huy tham muu"),
    "police": ("cong an", "an ninh", "canh sat", "trinh sat", "an ninh nhan dan"),
    # A field phrase naming two fields of the list: read as "several fields".
    "*": ("nong lam", "nong lam nghiep", "nong lam ngu", "nong lam ngu nghiep"),
    "other": (
        "y", "y khoa", "y te", "y si", "y hoc", "da khoa", "duoc", "duoc si", "dieu duong",
        "ho sinh", "van thu", "luu tru", "van thu luu tru", "van phong", "thu vien",
        "ngoai ngu", "tieng anh", "anh van", "ngon ngu anh", "tieng trung", "tieng phap",
        "tieng nga", "tieng nhat", "tieng han", "ngu van", "van hoc", "lich su", "dia ly",
        "toan", "vat ly", "hoa hoc", "sinh hoc", "xa hoi hoc", "triet hoc", "tam ly",
        "du lich", "co khi", "dien tu", "ky thuat dien", "dien cong nghiep", "dien dan dung", "o to",
        "thuy loi", "trac dia", "bao chi", "ton giao", "the duc", "the thao", "am nhac",
        "my thuat", "nghe thuat", "quan tri van phong", "cong nghe thuc pham", "thuc pham", "dia chat",
    ),
}  # fmt: skip
_FIELD_OF: dict[str, str] = {p: code for code, phrases in _FIELD_PHRASES.items() for p in phrases}
_FIELD_RX = _rx(
    r"(?P<f>"
    + "|".join(
        p + (r"(?!\s*dang)" if p == "xay dung" else "") for p in sorted(_FIELD_OF, key=len, reverse=True)
    )
    + ")"
)
_MAJOR = re.compile(r"(?<![a-z0-9])(?:chuyen nganh|nganh)\s+" + _FIELD_RX.pattern[len("(?<![a-z0-9])") :])
_COORD = re.compile(r"\s-\s|\s(?:va)\s")

_MODE_RX = [
    ("full_time", _rx(r"chinh quy|cq")),
    ("in_service", _rx(r"tai chuc|vua lam vua hoc|vua hoc vua lam|vlvh|vhvl|vl vh|vh vl")),
    ("distance", _rx(r"tu xa|dao tao tu xa")),
    ("bridging", _rx(r"lien thong|lt")),
]

# --- whole-piece forms
_NONE_DIM = {
    "chuyen mon": _PROF, "cm": _PROF, "chuyen mon nghiep vu": _PROF, "cmnv": _PROF,
    "ly luan chinh tri": _PT, "llct": _PT, "chinh tri": _PT, "ly luan": _PT,
    "qlnn": _SM, "quan ly nha nuoc": _SM, "tin hoc": _IT, "cntt": _IT, "vi tinh": _IT,
    "ngoai ngu": _FL, "tieng anh": _FL, "tieng dan toc": _ETH, "tieng dtts": _ETH,
    "tieng dan toc thieu so": _ETH, "van hoa": _GE,
}  # fmt: skip
_NONE = _full(
    r"(?P<w>chua qua dao tao|chua qua dt|chua dao tao|chua duoc dao tao|khong qua dao tao"
    r"|khong dao tao|chua qua|khong co|khong|ko|chua co|chua hoc|chua|khong biet chu|mu chu)"
    r"(?:\s*(?:(?:bang cap|bang|chung chi|cc|trinh do|van bang)\s*)?(?P<d>"
    + "|".join(sorted(_NONE_DIM, key=len, reverse=True))
    + r"))?"
)
_TICK = _full(r"x|v|ok|co|xx")
_IN_PROGRESS = _rx(
    r"dang (?:hoc|theo hoc|dao tao|hoan thien|hoc tiep|cho bang|cho cap bang|lam luan van)"
    r"|sinh vien|sv nam|nam (?:thu )?[1-6]|hoc nam [1-6]|chua (?:tot nghiep|tn|xong|hoan thanh|thi|nhan bang|cap bang)"
    r"|cho (?:cap )?bang|dang hoc|lop hoc(?= (?:thac s|tien s|cao hoc|dai hoc|cao dang|trung cap))"
    r"|nghien cuu sinh|ncs"
)
_DATE = re.compile(
    r"\s*(?:\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-[A-Za-z]{3}(?:-\d{2,4})?)\s*"
)
_BARE_NUMBER = _full(r"(?:trinh do\s*)?(?P<n>\d{1,2})(?:\.0+)?")
_ANY_NUMBER = _full(r"\d+(?:\.\d+)?")
_BARE_LETTER = _full(r"(?:(?:chung chi|cc|trinh do|bang|loai|hang|muc|trinh)\s*)?(?P<l>[abc])")
_BARE_FRAMEWORK = _full(
    r"(?:(?:chung chi|cc|trinh do|bang|khung|cap do|muc)\s*)?"
    r"(?:bac\s*(?P<bac>[1-6])(?P<six>\s*/\s*6)?(?:\s*[abc][12])?|(?P<cefr>[abc][12])(?:\s*bac\s*[1-6](?:\s*/\s*6)?)?)"
    r"(?:\s*(?:khung\s*)?(?:chau au|cefr|vstep|nang luc ngoai ngu))?"
)
_BARE_IT_LEVEL = _full(r"(?P<lv>co ban|nang cao|cb|nc)")
_BARE_CC = _full(r"cc")
_BARE_TRUNG_HOC = _full(r"trung hoc")
_MARKERS = (
    (_PT, _rx(r"llct|ly luan chinh tri|chinh tri(?!\s*hoc)|ly luan")),
    (_SM, _rx(r"qlnn|quan ly nha nuoc|ql nn")),
    (_IT, _rx(r"tin hoc|cntt|vi tinh|may tinh|cong nghe thong tin|ic3|mos")),
    (
        _FL,
        _rx(
            r"tieng anh|anh van|anh ngu|ngoai ngu|tieng (?:trung|phap|nga|duc|nhat|han|thai lan|mong co)|tay ban nha|bo dao nha"
            r"|toeic|ielts|toefl|vstep|aptis|hsk|topik"
        ),
    ),
    (_GE, _rx(r"pho thong|bo tuc van hoa|btvh|bo tuc|gdtx")),
)
_INTERNATIONAL = _rx(r"toeic|ielts|toefl|aptis|hsk|topik|ic3|mos")

#: Words that contain a level's name but are not that level: "sau đại học" (master or doctor?),
#: "trên đại học", "dưới trung cấp" (below it: no level), "dự bị đại học" (university-preparatory).
_NOT_LEVEL = _rx(
    r"sau dai hoc|tren dai hoc|sau tien si|sdh|du bi (?:dai hoc|dh)|duoi (?:trung cap|dai hoc|cao dang|so cap|thpt|thcs"
    r"|tieu hoc|pho thong|trung hoc|cap [1-3]|lop \d+)"
)
#: "Thạc sỹ (tương đương)", "Sơ cấp và tương đương": a group of levels in a report or a form,
#: not a qualification held.
_EQUIVALENT = _rx(r"tuong duong")
#: "Đại học trở lên": a requirement (this level or higher), not the level held.
_AT_LEAST = _rx(r"tro len|tro xuong")
#: A piece that names a level it does not confer: "chuẩn đầu ra B1" (a programme's exit
#: standard), "chứng chỉ môn học" (a course certificate).
_NOT_LEVEL_PIECE = _rx(r"dau ra|(?:chung chi|cc|chung nhan) mon hoc|mon hoc")
#: "Bác sĩ chuyên khoa", "Bác sĩ CK I": specialist training (chuyên khoa cấp I, II), not a degree.
_SPECIALIST = re.compile(r"\s*(?:chuyen khoa|ck(?:\s*(?:i{1,2}|[12]))?)(?![a-z0-9])")
#: "Trung cấp lý luận và nghiệp vụ công tác thanh vận": "lý luận" (theory) without "chính trị"
#: after a bare level word — a political-theory programme or a professional one, not told.
_THEORY = _rx(r"ly luan")
#: A political-theory word right after a professional level ("Cao đẳng LLCT").
_PT_AFTER = re.compile(r"\s*(?:ly luan chinh tri|ly luan ct|llct|ll ct|chinh tri(?!\s*hoc))(?![a-z0-9])")
#: A language named before a bare "trung cấp"/"sơ cấp"/"cao cấp" ("Tiếng Anh (trung cấp)").
_FL_BEFORE = _rx(r"tieng anh|anh van|anh ngu|ngoai ngu|tieng (?:trung|phap|nga|duc|nhat|han|thai lan)")
#: A negation at the start of a piece: "Không biết tiếng Tày", "Chưa có bằng đại học".
_NEGATION = re.compile(r"\s*(?:khong|ko|chua)(?![a-z0-9])")
#: Heads a negation may deny as a whole dimension ("Không biết tiếng Tày", "Không biết tin học
#: văn phòng"); any other head names a level, and denying a level says nothing of the others.
_NEGATABLE = ("eth", "it_office")
#: Speaking a language without a certificate: "nói được", "thành thạo", "biết nói".
_SPOKEN = _rx(
    r"noi duoc|noi thao|noi thong thao|thanh thao|thong thao|biet noi|biet tieng|giao tiep"
    r"|nghe noi|nghe hieu|su dung duoc|su dung thanh thao|noi"
)
#: A school's or institution's name: "Trường Đại học …", "Học viện …", "Đại học … Hà Nội".
_SCHOOL_BEFORE = re.compile(r"(?:truong|hoc vien|vien|phan hieu|co so)\s*$")
#: "Giáo dục Tiểu học", "Sư phạm Mầm non": a field of study, not the school level it names.
_FIELD_BEFORE = re.compile(r"(?:giao duc|gd|su pham|sp|nganh|chuyen nganh)\s*$")
_SCHOOL_HEAD_WORDS = {"dai hoc", "d hoc", "dhoc", "dh", "dhsp", "cao dang", "cd", "cdsp", "trung cap"}
_PLACE = _rx(
    r"ha noi|hn|tp hcm|tphcm|tp ho chi minh|ho chi minh|hcm|sai gon|hue|da nang|thai nguyen|vinh"
    r"|can tho|quy nhon|tay nguyen|tay bac|hai phong|nha trang|da lat|dong thap|an giang|hong duc"
    r"|vinh long|quang nam|quang binh|quang tri|quang ngai|quang ninh|thanh hoa|nghe an|ha tinh"
    r"|nam dinh|thai binh|bac giang|bac ninh|lang son|cao bang|ha giang|tuyen quang|yen bai|lao cai"
    r"|son la|dien bien|lai chau|hoa binh|phu tho|vinh phuc|ha nam|ninh binh|hung yen|hai duong"
    r"|kon tum|gia lai|dak lak|dac lac|dak nong|lam dong|khanh hoa|phu yen|binh dinh|ninh thuan"
    r"|binh thuan|dong nai|binh duong|binh phuoc|tay ninh|long an|tien giang|ben tre|tra vinh"
    r"|soc trang|bac lieu|ca mau|kien giang|hau giang|vung tau|bac kan|bac can|thu do"
    r"|quoc gia|quoc dan|bach khoa|dhqg|dhdn|dhtn|trung uong|tw|mien trung|mien bac|mien nam|khu vuc|tinh"
    r"|thanh pho|tp|mo|ton duc thang|nong lam tp|tay do|van lang|hong bang|lac hong|fpt|rmit"
    r"|hoa ky|nhat ban|han quoc|lien xo|singapore|australia"
)

#: After a level word, other marks of a school's name: a university system or a place run into
#: an abbreviation ("ĐH Ngoại ngữ - ĐHQGHN", "ĐH SPHN", "ĐH BKHN"), a number ending the name
#: ("ĐH Sư phạm 1", "ĐH SP HN1", "ĐH Công nghiệp 4": a degree is never numbered), a foreign
#: country or city ("Đại học Kỹ thuật Slovakia tại Bratislava", "ĐH Giao thông đường bộ
#: Matxcova"), or a short country name ending the name ("ĐH INSA Rennes (Pháp)", but not
#: "ĐH tiếng Pháp").
_SCHOOL_AFTER = re.compile(
    r"(?<![a-z0-9])(?:dhqg[a-z]*|qg(?:hn|hcm)|[a-z]{1,4}(?:hn|hcm)\d?)(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:[a-z]{0,4}\d{1,2}|i{1,3})\s*$"
    r"|\(\s*(?:phap|nga|duc|my|nhat|nhat ban|uc|anh|trung quoc|han quoc|lien xo|ba lan|sec|slovakia"
    r"|hungary|bungari|cuba|lao|thai lan|singapore|canada|bi|ha lan|y|hoa ky)\s*\)"
    r"|(?<![a-z0-9])(?:matxcova|mat xco va|moscow|paris|slovakia|bratislava|tiep khac|ba lan|hungary|bungari"
    r"|bulgaria|ukraina|belarus|trung quoc|dai loan|thai lan|malaysia|philippines|indonesia|an do|ha lan"
    r"|thuy dien|phan lan|dan mach|na uy|new zealand|canada|cong hoa sec)(?![a-z0-9])"
    r"|(?<![a-z0-9])(?<!tieng )(?<!van )(?:phap|nga|duc|my|anh|uc|sec|cuba|lao)\s*$"
)

#: After "Đại học"/"Cao đẳng", a school's own name that is not the name of a major, standing
#: alone ("ĐH Ngoại thương", "ĐH Công nghệ", "ĐH Công nghệ - GTVT", "ĐH Khoa học Xã hội và
#: Nhân văn", "ĐH KHTN"): the national list of training majors has no major "Ngoại thương",
#: "Công nghệ" or "Khoa học xã hội và nhân văn" (a degree names its major: "Kinh tế đối ngoại",
#: "Công nghệ thông tin", "Ngữ văn"), so these name the school. A degree word keeps its
#: reading ("Cử nhân Ngoại thương" is a degree in foreign trade, "ĐH Kinh tế ngoại thương"
#: names the major).
_SCHOOL_OWN_NAME = _full(
    r"(?:khoa hoc xa hoi(?: va)? nhan van|khxh(?: va)? nv|khoa hoc tu nhien|khtn|ngoai\s*thuong"
    r"|cong nghe(?: (?:gtvt|giao thong van tai|giao thong|gt))?)"
)

# ============================================================================ reading


@dataclass(frozen=True)
class _Head:
    start: int
    end: int
    kind: str
    m: re.Match[str]


_SCAN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ge_frac", _GE_FRAC),
    ("ge_lop", _GE_LOP),
    ("ge_bt", _GE_BT),
    ("ge_bt", _GE_BT2),
    *((f"ge_word:{code}", rx) for code, rx in _GE_WORD),
    ("pt", _PT1),
    ("pt", _PT2),
    ("pt", _PT3),
    ("sm", _SM1),
    ("sm", _SM2),
    ("sm_bare", _SM_BARE),
    ("it", _IT1),
    ("it", _IT2),
    ("it_office", _IT3),
    ("fl", _FL1),
    ("fl", _FL2),
    ("fl", _FL3),
    ("fl", _FL4),
    ("eth", _ETH1),
    ("eth", _ETH2),
    *((f"prof:{code}", rx) for code, rx in _PROF_HEADS),
    ("amb", _AMB),
)

#: Heads that, right after a professional head in the same piece, are part of its field
#: ("Trung cấp tin học văn phòng", "ĐH Sư phạm Tiểu học", "KS CN thực phẩm").
_SWALLOWED = ("ge_word:", "it_office", "eth")


def _scan(n2: str) -> list[_Head]:
    found = [_Head(m.start(), m.end(), kind, m) for kind, rx in _SCAN for m in rx.finditer(n2)]
    found.sort(key=lambda h: (h.start, -h.end))
    heads: list[_Head] = []
    for h in found:
        if heads and h.start < heads[-1].end:
            continue
        if heads and heads[-1].kind.startswith(("prof:", "amb")):
            word = (h.m.groupdict().get("w") or "").replace(" ", "")
            if h.kind.startswith(_SWALLOWED) or (
                h.kind.startswith(("prof:", "amb")) and word in _PROF_ABBREV
            ):
                continue
        heads.append(h)
    return heads


def _unknown(text: str, dim: Dimension | None, vi: str, en: str) -> ReadQualification:
    return ReadQualification(text, dim, None, confidence=0.0, reason_vi=vi, reason_en=en)


def _ambiguous(text: str, dim: Dimension | None, frag: str, alts: list[tuple[str, str]]) -> ReadQualification:
    vi = " hoặc ".join(a[0] for a in alts)
    en = " or ".join(a[1] for a in alts)
    return _unknown(
        text, dim,
        f"«{frag}» có thể là {vi}; không có cột (thang trình độ) để chọn nên không đoán",
        f"'{frag}' may be {en}; with no column (dimension) to decide, it is not guessed",
    )  # fmt: skip


def _hinted(text: str, dim: Dimension, level: str, hint: Dimension, frag: str, **kw) -> ReadQualification:
    vi_l, en_l = _lv(dim, level)
    return ReadQualification(
        text, dim, level, confidence=CONFIDENCE_HINT,
        reason_vi=f"«{frag}» đọc theo cột {_LABEL_VI[hint]}: {_LABEL_VI[dim]} {vi_l}",
        reason_en=f"'{frag}' read by its column ({_LABEL_EN[hint]}): {_LABEL_EN[dim]}, {en_l}",
        **kw,
    )  # fmt: skip


def _slice(part: str, idx: tuple[int, ...], a: int, b: int) -> str:
    """The text of ``part`` behind normalised characters ``a``..``b``."""
    if b <= a:
        return part.strip()
    frag = part[0 if a == 0 else idx[a] : len(part) if b == len(idx) else idx[b - 1] + 1]
    while True:
        before = frag
        frag = frag.strip(" ,;-+:/\\&|.\"'")
        if frag.endswith("(") or (frag.count(")") > frag.count("(") and frag.endswith(")")):
            frag = frag[:-1]
        if frag.startswith(")") or (frag.count("(") > frag.count(")") and frag.startswith("(")):
            frag = frag[1:]
        if frag == before:
            return frag or part.strip()


# --- general education


def _ge_level(x: int, y: int) -> str | None:
    if y == 12:
        return (
            "upper_secondary" if x == 12 else "lower_secondary" if x >= 9 else "primary" if x >= 5 else None
        )
    return "upper_secondary" if x == 10 else "lower_secondary" if x >= 7 else "primary" if x >= 4 else None


def _ge_fraction(text: str, x: int, y: int, remedial: bool) -> ReadQualification:
    if y not in (10, 12):
        return _unknown(
            text, _GE, f"Không có hệ phổ thông {y} năm (chỉ đọc hệ 10 năm và 12 năm)",
            f"No {y}-year school system is known (only the 10- and 12-year systems are read)",
        )  # fmt: skip
    if x == 0 or x > y:
        return _unknown(
            text, _GE, f"Lớp {x}/{y} không hợp lệ (lớp phải từ 1 đến {y})",
            f"Grade {x}/{y} is not valid (the grade must be 1 to {y})",
        )  # fmt: skip
    level = _ge_level(x, y)
    if level is None:
        return _unknown(
            text, _GE, f"Học hết lớp {x}/{y}: chưa học hết tiểu học, không có trình độ để ghi",
            f"Completed grade {x} of {y}: did not complete primary school, no level to record",
        )  # fmt: skip
    return ReadQualification(text, _GE, level, is_remedial=remedial, confidence=CONFIDENCE_EXACT)


def _ge_grade(text: str, n: int, remedial: bool, confidence: float, hint_note: bool) -> ReadQualification:
    """A grade without its system: read only where the 10- and 12-year systems agree."""
    if n == 0 or n > 12:
        return _unknown(
            text, _GE, f"Lớp {n} không hợp lệ (lớp phải từ 1 đến 12)", f"Grade {n} is not valid (1 to 12)"
        )
    r12 = _ge_level(n, 12)
    r10 = _ge_level(n, 10) if n <= 10 else r12
    if r10 != r12:
        vi10, en10 = _lv(_GE, r10)
        vi12, en12 = _lv(_GE, r12)
        return _unknown(
            text, _GE,
            f"Lớp {n} không ghi hệ: là {vi10} nếu hệ 10 năm ({n}/10) nhưng {vi12} nếu hệ 12 năm ({n}/12)",
            f"Grade {n} without its system: {en10} in the 10-year system ({n}/10) but {en12} in the "
            f"12-year system ({n}/12)",
        )  # fmt: skip
    if r12 is None:
        return _unknown(
            text, _GE, f"Học hết lớp {n}: chưa học hết tiểu học, không có trình độ để ghi",
            f"Completed grade {n}: did not complete primary school, no level to record",
        )  # fmt: skip
    vi, en = _lv(_GE, r12)
    if hint_note:
        rvi = f"Số «{n}» đọc theo cột giáo dục phổ thông: lớp {n}, {vi} (cả hệ 10 và 12 năm)"
        ren = f"Number '{n}' read by its column (general education): grade {n}, {en} (either system)"
    else:
        rvi = f"Lớp {n} không ghi hệ; hệ 10 và 12 năm đều cho {vi}"
        ren = f"Grade {n} without its system; both the 10- and 12-year systems give {en}"
    return ReadQualification(
        text, _GE, r12, is_remedial=remedial, confidence=confidence, reason_vi=rvi, reason_en=ren
    )


# --- professional: field and mode


def _field(region: str) -> tuple[str, str]:
    """(field code or "", note) of the words after a professional level (``region`` keeps the
    " - " coordinators)."""
    major = _MAJOR.search(region.replace("-", " "))
    if major and _FIELD_OF[" ".join(major.group("f").split())] != "*":
        # "ĐH Kinh tế, chuyên ngành Kế toán": the major is the field
        return _FIELD_OF[" ".join(major.group("f").split())], ""
    found: list[str] = []
    for chunk in _COORD.split(region):
        m = _FIELD_RX.search(chunk.replace("-", " "))
        if m:
            code = _FIELD_OF[" ".join(m.group("f").split())]
            found.extend(("agriculture", "forestry") if code == "*" else (code,))
    distinct = list(dict.fromkeys(found))
    if len(distinct) == 1:
        return distinct[0], ""
    if len(distinct) > 1:
        return "", "several"
    return "", ""


def _mode(text: str) -> str:
    modes = [code for code, rx in _MODE_RX if rx.search(text)]
    forms = [m for m in modes if m != "bridging"]
    if len(forms) > 1:
        return ""
    if forms:
        return forms[0]
    return modes[0] if modes else ""


def _professional(
    text: str,
    level: str,
    head_word: str,
    tail: str,
    prefix: str,
    confidence: float = CONFIDENCE_EXACT,
    reason: tuple[str, str] = ("", ""),
) -> ReadQualification:
    field, note = _field(tail)
    if not field and not note and prefix:
        field, note = _field(prefix)
    if not field and not note:
        field = _IMPLIED_FIELD.get(" ".join(head_word.split()), "")
    rvi, ren = reason
    if note == "several":
        rvi = (rvi + "; " if rvi else "") + "ghi nhiều ngành khác nhau nên không ghi ngành"
        ren = (ren + "; " if ren else "") + "several different fields are named, so no field is recorded"
    elif field == "other":
        confidence = min(confidence, CONFIDENCE_NEAR)
        rvi = (rvi + "; " if rvi else "") + "ngành không có trong danh mục: ghi «khác»"
        ren = (ren + "; " if ren else "") + "the field is not in the list: recorded as 'other'"
    mode = _mode((prefix + " " + tail).replace("-", " "))
    return ReadQualification(
        text, _PROF, level, field_of_study=field, study_mode=mode, confidence=confidence,
        reason_vi=rvi, reason_en=ren,
    )  # fmt: skip


# --- one head


def _read_head(
    text: str, h: _Head, n: str, n2: str, prefix_end: int, seg_end: int, hint: Dimension | None
) -> ReadQualification:
    kind, m = h.kind, h.m
    seg2 = n2[prefix_end:seg_end]
    tail = n[h.end : seg_end]
    prefix = n[prefix_end : h.start]
    if kind == "ge_frac":
        return _ge_fraction(text, int(m.group(1)), int(m.group(2)), bool(_REMEDIAL.search(seg2)))
    if kind == "ge_lop":
        x, y = int(m.group(1)), m.group(2)
        remedial = bool(_REMEDIAL.search(seg2))
        if y is not None:
            return _ge_fraction(text, x, int(y), remedial)
        return _ge_grade(text, x, remedial, CONFIDENCE_NEAR, False)
    if kind == "ge_bt":
        return _ge_grade(text, int(m.group(1)), True, CONFIDENCE_NEAR, False)
    if kind.startswith("ge_word:"):
        return ReadQualification(
            text, _GE, kind.split(":", 1)[1], is_remedial=bool(_REMEDIAL.search(seg2)),
            confidence=CONFIDENCE_EXACT,
        )  # fmt: skip
    if kind == "pt":
        return ReadQualification(
            text, _PT, _PT_LEVEL[" ".join(m.group("lv").split())], confidence=CONFIDENCE_EXACT
        )
    if kind == "sm":
        return ReadQualification(
            text, _SM, _SM_LEVEL[" ".join(m.group("rk").split())], confidence=CONFIDENCE_EXACT
        )
    if kind == "sm_bare":
        level = _SM_LEVEL[" ".join(m.group("rk").split())]
        frag = text
        if hint == _SM:
            return _hinted(text, _SM, level, hint, frag)
        return _ambiguous(
            text, hint, frag,
            [(f"chứng chỉ QLNN chương trình {_lv(_SM, level)[0]}", f"the state-management certificate "
              f"for the {_lv(_SM, level)[1]} rank"),
             ("ngạch công chức (không phải văn bằng)", "the civil-service rank itself (not a qualification)")],
        )  # fmt: skip
    if kind == "it":
        level = _IT_LEVEL[" ".join((m.group("lv") or m.group("lv2")).split())]
        return ReadQualification(text, _IT, level, confidence=CONFIDENCE_EXACT)
    if kind == "it_office":
        return ReadQualification(
            text, _IT, "basic", confidence=CONFIDENCE_INFERRED,
            reason_vi="«Tin học văn phòng» không ghi trình độ: suy ra ứng dụng CNTT cơ bản",
            reason_en="'Office IT' states no level: inferred to be basic IT skills",
        )  # fmt: skip
    if kind == "fl":
        g = m.groupdict()
        if g.get("bac"):
            level = f"level_{g['bac']}"
        elif g.get("cefr"):
            level = _CEFR[g["cefr"]]
        else:
            level = f"certificate_{g.get('cert') or g['cert2']}"
        return ReadQualification(text, _FL, level, confidence=CONFIDENCE_EXACT)
    if kind == "eth":
        name = (m.groupdict().get("name") or "").replace(" ", "")
        spoken = bool(_SPOKEN.search(seg2)) and not _CERT_WORD.search(seg2)
        if name in _ETH_AMBIGUOUS:
            if hint == _ETH:
                certified = bool(_CERT_WORD.search(seg2))
                return _hinted(text, _ETH, "certificate" if certified else "spoken", hint, text)
            if hint == _FL:
                return _unknown(
                    text, _FL, f"«{text}» không ghi trình độ ngoại ngữ",
                    f"'{text}' states no foreign-language level",
                )  # fmt: skip
            return _ambiguous(
                text, hint, text,
                [("tiếng dân tộc thiểu số", "an ethnic-minority language"),
                 ("ngoại ngữ (không ghi trình độ)", "a foreign language (with no level)")],
            )  # fmt: skip
        if _CERT_WORD.search(seg2):
            return ReadQualification(text, _ETH, "certificate", confidence=CONFIDENCE_EXACT)
        if spoken:  # "Nói được tiếng Tày", "Thành thạo tiếng Mông": speaks it, no certificate
            return ReadQualification(text, _ETH, "spoken", confidence=CONFIDENCE_EXACT)
        if not name:
            # "Tiếng dân tộc", "Tiếng DTTS": the dimension's own name (the 2C form's heading, a
            # column's title), like "Ngoại ngữ" or "Tin học": no language and no level.
            return _unknown(
                text, _ETH,
                f"«{text}» chỉ nêu tên mục (tiếng dân tộc thiểu số), không nêu tiếng nào, không ghi "
                "nói được hay có chứng chỉ",
                f"'{text}' only names the item (ethnic-minority language): no language is named and "
                "neither speaking nor a certificate is stated",
            )  # fmt: skip
        # The 2C personnel form asks for "the ethnic language certified or spoken fluently": a
        # language named without "chứng chỉ" is certain only to be spoken.
        return ReadQualification(
            text, _ETH, "spoken", confidence=CONFIDENCE_NEAR,
            reason_vi="Không ghi «chứng chỉ»: chỉ chắc là nói được tiếng dân tộc, không ghi là có chứng chỉ",
            reason_en="'Certificate' is not written: only speaking the language is certain, not a certificate",
        )  # fmt: skip
    if kind.startswith("prof:"):
        level = kind.split(":", 1)[1]
        word = " ".join(m.group("w").split())
        if (
            hint == _PT
            and level == "university"
            and word in ("dai hoc", "d hoc", "dhoc", "dh", "cu nhan", "cn")
            and not _field(tail)[0]
            and not _field(tail)[1]
        ):
            return _hinted(text, _PT, "bachelor", hint, text)
        if word == "cn" and hint != _PROF and re.match(r"\s*(?:\d|$)", tail):
            # "CN" alone is also công nghiệp / công nghệ ("Xây dựng DD và CN 09/2008")
            return _ambiguous(
                text, hint, text,
                [("cử nhân", "bachelor"), ("công nghiệp, công nghệ (viết tắt)", "industry, technology (abbreviated)")],
            )  # fmt: skip
        if word in ("bac si", "bac sy") and _SPECIALIST.match(tail.replace("-", " ")):
            # "Bác sĩ chuyên khoa (cấp I, II)": medical specialist training after the university
            # degree, not an academic degree; which grade, and what it counts as, is not read.
            return _unknown(
                text, _PROF,
                f"«{text}»: bác sĩ chuyên khoa (cấp I hay II) là đào tạo chuyên khoa sau đại học của "
                "ngành y, không phải học vị đại học, thạc sĩ hay tiến sĩ",
                f"'{text}': a medical specialist (grade I or II) is specialist training after the "
                "university degree, not a university, master's or doctoral degree",
            )  # fmt: skip
        if word in ("dhsp", "cdsp"):
            tail = " su pham" + tail  # "ĐHSP Toán" is Sư phạm Toán
        if _PT_AFTER.match(tail.replace("-", " ")):  # "Cao đẳng LLCT": no such level
            return _unknown(
                text, _PT, f"«{text}»: lý luận chính trị không có trình độ này",
                f"'{text}': political theory has no such level",
            )  # fmt: skip
        return _professional(text, level, word, tail, prefix)
    if kind == "amb":
        word = " ".join(m.group("w").split())
        frag = text
        if _FL_BEFORE.search(prefix.replace("-", " ")):  # "Tiếng Anh (trung cấp)": a course's level
            return _unknown(
                text, _FL, f"«{text}»: trình độ của một khóa ngoại ngữ, không phải bậc hay chứng chỉ A/B/C",
                f"'{text}': the level of a language course, not a framework level or an A/B/C certificate",
            )  # fmt: skip
        around = (prefix + " " + tail).replace("-", " ")  # "Kế toán trung cấp"
        is_prof = _FIELD_RX.search(around) or _PROF_TAIL_WORD.search(around) or _mode(around)
        if word in ("trung cap", "tc", "so cap", "sc"):
            level = "intermediate" if word in ("trung cap", "tc") else "elementary"
            if _THEORY.search(tail.replace("-", " ")):
                # "Trung cấp lý luận nghiệp vụ công tác thanh vận" (a Youth Union school's
                # diploma): the political-theory programmes are "lý luận …" too.
                if hint == _PT:
                    return _hinted(text, _PT, level, hint, frag)
                if hint == _PROF:
                    return _professional(
                        text, level, word, tail, prefix, CONFIDENCE_HINT,
                        (f"«{frag}» đọc theo cột {_LABEL_VI[hint]}", f"'{frag}' read by its column ({_LABEL_EN[hint]})"),
                    )  # fmt: skip
                vi_l, en_l = _lv(_PROF, level)
                return _ambiguous(
                    text, hint, frag,
                    [(f"{vi_l} chuyên môn, nghiệp vụ", f"an {en_l} professional qualification"),
                     (f"{vi_l} lý luận chính trị (không ghi «chính trị»)",
                      f"{en_l} political theory ('political' is not written)")],
                )  # fmt: skip
            if is_prof:
                return _professional(text, level, word, tail, prefix)
            if hint == _PROF:
                return _professional(
                    text, level, word, tail, prefix, CONFIDENCE_HINT,
                    (f"«{frag}» đọc theo cột {_LABEL_VI[hint]}", f"'{frag}' read by its column ({_LABEL_EN[hint]})"),
                )  # fmt: skip
            if hint == _PT:
                return _hinted(text, _PT, level, hint, frag)
            vi_l, en_l = _lv(_PROF, level)
            return _ambiguous(
                text, hint, frag,
                [(f"{vi_l} chuyên môn", f"an {en_l} professional qualification"),
                 (f"{vi_l} lý luận chính trị", f"{en_l} political theory")],
            )  # fmt: skip
        # cao cấp
        if hint == _PT:
            return _hinted(text, _PT, "advanced", hint, frag)
        if hint == _SM:
            return _hinted(text, _SM, "senior_specialist", hint, frag)
        return _ambiguous(
            text, hint, frag,
            [("cao cấp lý luận chính trị", "advanced political theory"),
             ("chứng chỉ QLNN chuyên viên cao cấp", "the senior-specialist state-management certificate")],
        )  # fmt: skip
    raise AssertionError(kind)  # pragma: no cover


# --- one piece

_NOKEY = "nokey"
_READ = "read"


def _detect_dimension(n2: str, heads: list[_Head]) -> Dimension | None:
    for h in heads:
        k = h.kind
        if k.startswith("ge"):
            return _GE
        if k == "pt":
            return _PT
        if k.startswith("sm"):
            return _SM
        if k.startswith("it"):
            return _IT
        if k == "fl":
            return _FL
        if k == "eth":
            return _ETH
        if k.startswith("prof"):
            return _PROF
    dims = {d for d, rx in _MARKERS if rx.search(n2)}
    return dims.pop() if len(dims) == 1 else None


@lru_cache(maxsize=65536)
def _read_part(part: str, hint: Dimension | None) -> tuple[tuple[ReadQualification, ...], str]:
    text = part.strip()
    stripped = text.strip(" .")
    if stripped and set(stripped) <= {"-", "_", " "}:  # "-", "--", "_": the usual "none"
        return (ReadQualification(
            text, hint, None, confidence=CONFIDENCE_EXACT, none=True,
            reason_vi="Ô ghi «-»: không có", reason_en="The cell reads '-': none",
        ),), _READ  # fmt: skip
    if _DATE.fullmatch(text):
        return (_unknown(
            text, hint,
            "Ô chứa ngày tháng, không phải trình độ — có thể Excel đã đổi «12/12» thành ngày; cần xem ô gốc",
            "The cell holds a date, not a level — Excel may have turned '12/12' into a date; check the source",
        ),), _READ  # fmt: skip
    n, idx = _normalise(text)
    n2 = n.replace("-", " ")
    if not n2.strip():
        return (_unknown(
            text, hint, f"«{text}» không có chữ hay số nào để đọc",
            f"'{text}' has no letters or digits to read",
        ),), _READ  # fmt: skip

    m = _NONE.fullmatch(n2)
    if m:
        d = m.group("d")
        if d:
            dim = _NONE_DIM[" ".join(d.split())]
        elif hint is not None:
            dim = hint
        elif "dao tao" in m.group("w") or m.group("w") in ("chua qua dt", "chua qua"):
            dim = _PROF
        elif "chu" in m.group("w").split():
            dim = _GE
        else:
            dim = None
        return (ReadQualification(
            text, dim, None, confidence=CONFIDENCE_EXACT, none=True,
            reason_vi="Ô ghi rõ là không có", reason_en="The cell states explicitly that there is none",
        ),), _READ  # fmt: skip
    if _TICK.fullmatch(n2):
        return (_unknown(
            text, hint, f"«{text}» chỉ là dấu đánh dấu, không cho biết trình độ nào",
            f"'{text}' is a tick mark; it does not say which level",
        ),), _READ  # fmt: skip

    if _NOT_LEVEL_PIECE.search(n2) and not _NEGATION.match(n2):
        return (_unknown(
            text, _detect_dimension(n2, []) or hint,
            f"«{text}» nêu chuẩn đầu ra hoặc chứng chỉ môn học, không phải văn bằng, chứng chỉ trình độ",
            f"'{text}' names an exit standard or a course certificate, not a qualification level",
        ),), _READ  # fmt: skip
    if _AT_LEAST.search(n2) and not _NEGATION.match(n2):
        return (_unknown(
            text, _detect_dimension(n2, []) or hint,
            f"«{text}» là một yêu cầu (trình độ đó trở lên), không phải trình độ đã đạt",
            f"'{text}' is a requirement (that level or higher), not a level held",
        ),), _READ  # fmt: skip
    if _EQUIVALENT.search(n2) and not _NEGATION.match(n2):
        return (_unknown(
            text, _detect_dimension(n2, []) or hint,
            f"«{text}» nêu một trình độ «hoặc tương đương» (một nhóm), không phải văn bằng cụ thể đã có",
            f"'{text}' names a level 'or equivalent' (a group), not a particular qualification held",
        ),), _READ  # fmt: skip
    not_level = [m.span() for m in _NOT_LEVEL.finditer(n2)]
    if not_level:  # "sau đại học" is not "đại học": hide it from the level words
        for a, b in not_level:
            n = n[:a] + " " * (b - a) + n[b:]
            n2 = n2[:a] + " " * (b - a) + n2[b:]
    heads = _typed_heads(text, idx, _scan(n2))
    in_progress = list(_IN_PROGRESS.finditer(n2))
    if _NEGATION.match(n2) and not any(m.start() <= len(n2) - len(n2.lstrip()) for m in in_progress):
        dim = _detect_dimension(n2, heads) or hint
        if dim is None and "dao tao" in n2:
            dim = _PROF
        if any(h.kind not in _NEGATABLE for h in heads):
            # "Chưa có bằng đại học", "Không có chứng chỉ tiếng Anh B": only that level is denied;
            # a lower one (a college diploma, certificate A) may be held, so this is not "none".
            return (_unknown(
                text, dim,
                f"«{text}» chỉ phủ định một trình độ: không có trình độ đó, nhưng không nói có trình độ "
                "khác (thấp hơn) hay không",
                f"'{text}' denies one level only: that level is not held, but whether another (lower) "
                "one is, is not said",
            ),), _READ  # fmt: skip
        return (ReadQualification(
            text, dim, None, confidence=CONFIDENCE_EXACT, none=True,
            reason_vi=f"«{text}» là lời phủ định: không có", reason_en=f"'{text}' is a negation: none",
        ),), _READ  # fmt: skip
    if not_level and not heads:
        return (_unknown(
            text, _detect_dimension(n2, heads) or hint or _PROF,
            f"«{text}» không nói rõ trình độ nào (sau đại học là thạc sĩ hay tiến sĩ; dưới trung cấp "
            "là chưa có trình độ đó)",
            f"'{text}' does not say which level (postgraduate: master or doctorate; below intermediate: "
            "not that level)",
        ),), _READ  # fmt: skip
    if in_progress and not heads:
        return (_unknown(
            text, _detect_dimension(n2, heads) or hint,
            "Đang học hoặc chưa tốt nghiệp: chưa phải là văn bằng, chứng chỉ",
            "Still studying or not yet graduated: not yet a qualification",
        ),), _READ  # fmt: skip

    # Whole-piece forms that only a column can decide.
    m = _BARE_NUMBER.fullmatch(n2)
    if m:
        num = int(m.group("n"))
        if hint == _GE:
            return (_ge_grade(text, num, False, CONFIDENCE_HINT, True),), _READ
        return (_unknown(
            text, hint,
            f"Chỉ có con số «{num}»: chỉ đọc được trong cột giáo dục phổ thông",
            f"A bare number '{num}': it reads only in a general-education column",
        ),), _READ  # fmt: skip
    if _ANY_NUMBER.fullmatch(n2):
        return (_unknown(
            text, hint, f"Con số «{text}» không phải là trình độ", f"The number '{text}' is not a level"
        ),), _READ  # fmt: skip
    m = _BARE_LETTER.fullmatch(n2)
    if m:
        letter = m.group("l")
        if hint in (_IT, _FL):
            return (_hinted(text, hint, f"certificate_{letter}", hint, text),), _READ
        return (_ambiguous(
            text, hint, text,
            [(f"chứng chỉ tin học {letter.upper()}", f"the IT certificate {letter.upper()}"),
             (f"chứng chỉ ngoại ngữ {letter.upper()}", f"the foreign-language certificate {letter.upper()}")],
        ),), _READ  # fmt: skip
    m = _BARE_FRAMEWORK.fullmatch(n2)
    if m:
        level = f"level_{m.group('bac')}" if m.group("bac") else _CEFR[m.group("cefr")]
        if hint == _FL or (m.group("six") and hint is None):
            return (ReadQualification(text, _FL, level, confidence=CONFIDENCE_EXACT),), _READ
        if hint is None and m.group("cefr"):
            return (ReadQualification(
                text, _FL, level, confidence=CONFIDENCE_NEAR,
                reason_vi="Không ghi ngoại ngữ nào: đọc là bậc của khung năng lực ngoại ngữ 6 bậc",
                reason_en="No language is named: read as a level of the six-level foreign-language framework",
            ),), _READ  # fmt: skip
        if hint is None:
            return (_ambiguous(
                text, hint, text,
                [(f"bậc {m.group('bac')} khung năng lực ngoại ngữ", f"level {m.group('bac')} of the "
                  "foreign-language framework"), ("bậc lương hay bậc khác", "a salary step or another grade")],
            ),), _READ  # fmt: skip
        return (_unknown(
            text, hint,
            f"«{text}» là bậc ngoại ngữ, không phải trình độ {_LABEL_VI[hint]}",
            f"'{text}' is a foreign-language level, not a {_LABEL_EN[hint]} level",
        ),), _READ  # fmt: skip
    m = _BARE_IT_LEVEL.fullmatch(n2)
    if m:
        level = _IT_LEVEL[" ".join(m.group("lv").split())]
        if hint == _IT:
            return (_hinted(text, _IT, level, hint, text),), _READ
        return (_unknown(
            text, hint, f"«{text}» không ghi là trình độ gì; chỉ đọc được trong cột tin học",
            f"'{text}' does not say what it is the level of; it reads only in an IT column",
        ),), _READ  # fmt: skip
    if _BARE_CC.fullmatch(n2):
        if hint == _PT:
            return (_hinted(text, _PT, "advanced", hint, text),), _READ
        return (_ambiguous(
            text, hint, text,
            [("cao cấp lý luận chính trị", "advanced political theory"),
             ("«chứng chỉ» không ghi loại", "'certificate' of no stated kind")],
        ),), _READ  # fmt: skip
    if _BARE_TRUNG_HOC.fullmatch(n2):
        return (_ambiguous(
            text, hint, text,
            [("trung học cơ sở", "lower secondary"), ("trung học phổ thông", "upper secondary"),
             ("trung học chuyên nghiệp", "professional intermediate")],
        ),), _READ  # fmt: skip

    if not heads:
        dim = _detect_dimension(n2, [])
        if dim is not None:
            if _INTERNATIONAL.search(n2):
                vi, en = ("điểm chứng chỉ quốc tế: chưa quy đổi sang thang trong nước",
                          "an international test score: not converted to the national scale")  # fmt: skip
            else:
                vi, en = "không ghi trình độ", "no level is stated"
            return (_unknown(
                text, dim, f"«{text}»: {_LABEL_VI[dim]}, {vi}", f"'{text}': {_LABEL_EN[dim]}, {en}"
            ),), _READ  # fmt: skip
        return (_unknown(
            text, hint, f"Không nhận ra văn bằng, chứng chỉ nào trong «{text}»",
            f"No qualification recognised in '{text}'",
        ),), _NOKEY  # fmt: skip

    # "Đang học ThS", "ĐH năm 3": the marker belongs to the next head, else to the one before.
    unfinished: set[int] = set()
    starts = [0] + [h.start for h in heads[1:]]
    for marker in in_progress:
        after = [i for i, h in enumerate(heads) if h.start >= marker.end()]
        before = [i for i, h in enumerate(heads) if h.start < marker.start()]
        owner = after[0] if after else before[-1] if before else 0
        unfinished.add(owner)
        if owner and heads[owner - 1].end <= marker.start():
            starts[owner] = min(starts[owner], marker.start())
    readings = []
    schools: list[bool] = []
    for i, h in enumerate(heads):
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(heads) else len(n)
        frag = text if len(heads) == 1 else _slice(text, idx, start, end)
        school = _is_school(h, n2, end)
        schools.append(school)
        if school:
            readings.append(_school(frag, _detect_dimension(n2[h.start : h.end], [h]) or hint))
        elif i in unfinished:
            readings.append(_unknown(
                frag, _detect_dimension(n2[h.start : h.end], [h]) or hint,
                "Đang học hoặc chưa tốt nghiệp: chưa phải là văn bằng, chứng chỉ",
                "Still studying or not yet graduated: not yet a qualification",
            ))  # fmt: skip
        else:
            readings.append(_read_head(frag, h, n, n2, start, end, hint))
    if any(schools) and not all(schools):  # "KS Nông nghiệp (ĐH Nông Lâm Thái Nguyên)": the school
        readings = [r for r, school in zip(readings, schools, strict=True) if not school]
    return _one_level_per_dimension(text, tuple(readings)), _READ


_SCHOOL_REASON_EN = "is the name of a school or institution, not a degree"


def _school(frag: str, dim: Dimension | None) -> ReadQualification:
    return _unknown(
        frag, dim,
        f"«{frag}» là tên trường, cơ sở đào tạo, không phải văn bằng",
        f"'{frag}' {_SCHOOL_REASON_EN}",
    )  # fmt: skip


def _is_school(h: _Head, n2: str, end: int) -> bool:
    """True if head ``h`` is part of a school's name ("Trường Đại học Luật", "Học viện …",
    "Đại học Sư phạm Hà Nội", "Cao đẳng … Thái Nguyên"), not a degree."""
    if not h.kind.startswith(("prof:", "amb", "pt", "ge_word:")):
        return False
    if _SCHOOL_BEFORE.search(n2[: h.start].replace("-", " ").rstrip()):
        return True
    if h.kind.startswith("ge_word:"):
        return False
    word = " ".join((h.m.groupdict().get("w") or "").split())
    if h.kind == "pt" or word not in _SCHOOL_HEAD_WORDS:
        return False
    region = n2[h.end : end]
    return bool(_PLACE.search(region) or _SCHOOL_AFTER.search(region) or _SCHOOL_OWN_NAME.fullmatch(region))


def _typed_heads(text: str, idx: tuple[int, ...], heads: list[_Head]) -> list[_Head]:
    """Drop a school level that names a field ("Giáo dục Tiểu học") and an ethnic-language head
    whose name, in a cell typed with diacritics, is not an ethnic group's name as written
    ("Tiếng Tây" is not "Tiếng Tày")."""
    heads = [
        h
        for h in heads
        if not (h.kind.startswith("ge_word:") and _FIELD_BEFORE.search(h.m.string[: h.start].rstrip()))
        and not (h.kind.startswith("prof:") and _EDU_FIELD_BEFORE.search(h.m.string[: h.start]))
        and not (
            h.kind.startswith("prof:")
            and " ".join((h.m.groupdict().get("w") or "").split()) == "cn"
            and not _CN_CONTEXT.fullmatch(h.m.string[: h.start])
        )
    ]
    if not _has_marks(text):
        return heads
    kept = []
    for h in heads:
        if h.kind == "eth" and h.m.groupdict().get("name"):
            a, b = h.m.span("name")
            typed = _typed_key(text[idx[a] : idx[b - 1] + 1])
            if typed not in _ETH_TYPED:
                continue
        kept.append(h)
    return kept


def _one_level_per_dimension(
    text: str, readings: tuple[ReadQualification, ...]
) -> tuple[ReadQualification, ...]:
    """A piece naming two different levels of one dimension ("Cử nhân (Cao đẳng)",
    "Cao đẳng/Đại học") does not say which was earned: unknown, naming both."""
    by_dim: dict[Dimension, list[str]] = {}
    for r in readings:
        if (
            r.known
            and r.dimension is not None
            and r.level is not None
            and r.level not in by_dim.get(r.dimension, [])
        ):
            by_dim.setdefault(r.dimension, []).append(r.level)
    for dim, found in by_dim.items():
        if len(found) > 1:
            vi = " và ".join(_lv(dim, lv)[0] for lv in found)
            en = " and ".join(_lv(dim, lv)[1] for lv in found)
            return (_unknown(
                text, dim,
                f"«{text}» ghi hai trình độ {_LABEL_VI[dim]} khác nhau ({vi}); không rõ đã đạt trình độ nào",
                f"'{text}' names two different {_LABEL_EN[dim]} levels ({en}); which was earned is not said",
            ),)  # fmt: skip
    return readings


# --- one cell

_SEP = re.compile(r"[;\n\r|+•\t]|(?<!\d),|,(?!\d)|\s-\s|\s(?:va|&)\s", re.IGNORECASE)
#: The separators that end a qualification for sure (not "," or " - ", which also join a list of
#: levels: "cho giảng viên đại học, cao đẳng").
_STRONG_SEP = re.compile(r"[;\n\r|+•\t]")
#: A teaching-skills course and the staff it is for: "Chứng chỉ NVSP cho GV Đại học, Cao đẳng",
#: "Nghiệp vụ sư phạm cho giảng viên đại học - cao đẳng". The levels named after it are the
#: audience of the course (who may take it), not a degree the person holds; likewise the levels
#: after "giáo dục" ("Kiểm định chất lượng giáo dục CĐ, ĐH và TCCN": the education sector), and
#: a level right after "sư phạm" that ends the name ("Sư phạm ĐH", "Sư phạm 2 ĐH, CĐ": sư phạm
#: đại học, the teaching-skills course for lecturers, once given as "sư phạm bậc 1, bậc 2" —
#: a degree in teaching is written level first, "ĐH Sư phạm"; "Sư phạm ĐH Hà Nội" is a school).
_AUDIENCE = re.compile(
    r"(?<![a-z0-9])(?:nghiep vu su pham|nvsp|nv sp|(?:danh\s+)?cho\s+(?:giang vien|gv|giao vien)"
    r"|giao duc(?:\s+hoc)?(?=\s+(?:cd|dh|dai hoc|cao dang|tccn)(?![a-z0-9]))"
    r"|su pham(?:\s+(?:bac\s*)?(?:[12]|i{1,2}))?(?=\s+(?:cd|dh|dai hoc|cao dang)(?![a-z0-9])(?!\s*[a-z0-9])))"
    r"(?![a-z0-9])"
)
#: What may stand before the abbreviation "CN" when it is cử nhân ("CN Luật", "Bằng CN Kinh tế");
#: after other words it is công nghiệp or công nghệ ("chuyển giao CN tin học", "DD và CN").
_CN_CONTEXT = re.compile(
    r"[\s\d]*(?:(?:bang|van bang|tot nghiep|trinh do|chuyen mon|hoc vi|trinh do chuyen mon)[\s\d]*)*"
)
#: "Giáo dục ĐH", "Giáo dục học đại học": the field (higher-education studies), not the degree.
_EDU_FIELD_BEFORE = re.compile(r"(?<![a-z0-9])(?:giao duc|gd)(?:\s+hoc)?\s*$")


def _known_count(readings: tuple[ReadQualification, ...]) -> int:
    return sum(1 for r in readings if r.known or r.none)


@lru_cache(maxsize=65536)
def _read_cell(text: str, hint: Dimension | None) -> tuple[ReadQualification, ...]:
    s = _nfc(text)
    if not s.strip():
        return ()
    f = _fold_aligned(s)
    course = _AUDIENCE.search(f)
    if course:  # a teaching-skills course: its part of the cell gives no level (issue 9, item 5)
        a = max((m.end() for m in _STRONG_SEP.finditer(f, 0, course.start())), default=0)
        nxt = _STRONG_SEP.search(f, course.end())
        b = nxt.start() if nxt else len(s)
        frag = s[a:b].strip()
        if course.group().startswith("su pham"):
            vi = (
                f"«{frag}»: «sư phạm» rồi đến cấp học là lớp sư phạm cho giảng viên cấp đó (sư phạm đại học, "
                "sư phạm bậc 1, 2), không phải văn bằng; bằng sư phạm ghi cấp trước («ĐH Sư phạm»)"
            )
            en = (
                f"'{frag}': 'sư phạm' followed by a level is the teaching-skills course for lecturers at that "
                "level (sư phạm đại học, sư phạm bậc 1, 2), not a degree; a teaching degree names its level "
                "first ('ĐH Sư phạm')"
            )
        else:
            vi = (
                f"«{frag}» nói về một lớp nghiệp vụ sư phạm hay một cấp giáo dục; trình độ nêu trong đó "
                "không phải văn bằng đã có"
            )
            en = (
                f"'{frag}' is about a teaching-skills course or an education sector; the levels it names "
                "are not a degree held"
            )
        return (
            *(_read_cell(s[:a], hint) if a else ()),
            _unknown(frag, hint, vi, en),
            *(_read_cell(s[b:], hint) if b < len(s) else ()),
        )  # fmt: skip
    bounds = [0]
    for m in _SEP.finditer(f):
        bounds.extend((m.start(), m.end()))
    bounds.append(len(s))
    spans = [
        (bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2) if s[bounds[i] : bounds[i + 1]].strip()
    ]
    if not spans:
        return _read_part(s, hint)[0]
    groups: list[tuple[int, int, tuple[ReadQualification, ...]]] = []
    for a, b in spans:
        readings, status = _read_part(s[a:b], hint)
        if groups:
            pa, _, prev = groups[-1]
            prev_known, cur_known = _known_count(prev), _known_count(readings)
            if status == _NOKEY or prev_known < len(prev) or cur_known < len(readings):
                merged, _ = _read_part(s[pa:b], hint)
                merged_known = _known_count(merged)
                if status == _NOKEY or (
                    merged_known == len(merged) and merged_known > prev_known + cur_known
                ):
                    groups[-1] = (pa, b, merged)
                    continue
        if groups and _member_school(s, f, groups[-1], a, readings):
            pa, pb, prev = groups[-1]
            groups[-1] = (pa, pb, (_school(prev[0].text, prev[0].dimension),))
        groups.append((a, b, readings))
    out = tuple(r for _, _, rs in groups for r in rs)
    return _bare_level_list(s, out)


#: A school-name head word at the start of a piece ("ĐH Sư phạm", "Cao đẳng Y tế").
_SCHOOL_WORD_START = re.compile(r"\s*(?:dai hoc|dh|cao dang|cd)(?![a-z0-9])")


def _member_school(
    s: str,
    f: str,
    prev: tuple[int, int, tuple[ReadQualification, ...]],
    a: int,
    readings: tuple[ReadQualification, ...],
) -> bool:
    """ "ĐH Sư phạm - ĐH Thái Nguyên": a school of a university, named with " - " before its
    parent's name — the piece before the parent is a school too, not a degree."""
    pa, pb, prev_readings = prev
    return (
        len(prev_readings) == 1
        and prev_readings[0].known
        and prev_readings[0].dimension == _PROF
        and bool(_SCHOOL_WORD_START.match(f[pa:pb]))
        and "-" in s[pb:a]
        and bool(readings)
        and all(r.reason_en.endswith(_SCHOOL_REASON_EN) for r in readings)
    )


def _bare_level_list(text: str, readings: tuple[ReadQualification, ...]) -> tuple[ReadQualification, ...]:
    """A cell that only lists bare levels of one dimension ("Thạc sỹ, tiến sỹ", "Đại học, Cao
    đẳng": a report's row, or a choice) does not say which was earned: unknown, as for one piece
    naming two levels. Levels with a field or a date ("CĐ Sư phạm, ĐH Luật") are kept."""
    if len(readings) >= 2 and all(
        not r.none and not r.field_of_study and not re.search(r"\d", r.text) and len(r.text.split()) <= 3
        for r in readings
    ):
        undecided = [r for r in readings if not r.known and r.dimension is None]
        if undecided and all(r.dimension == _PROF for r in readings if r.known):
            # "Cao cấp, cử nhân": listed with a level word of two dimensions, a bare "cử nhân"
            # may be the political-theory bachelor as well as a university degree.
            return (_unknown(
                text.strip(), None,
                f"«{text.strip()}» chỉ liệt kê các trình độ, có trình độ thuộc hai thang; không rõ thang nào",
                f"'{text.strip()}' only lists levels, one of them of two dimensions; the dimension is not said",
            ),)  # fmt: skip
    if len(readings) < 2 or any(
        not r.known
        or r.none
        or r.field_of_study
        or r.dimension in (_FL, _ETH, Dimension.IT)  # "Anh B, Pháp C": two languages, two certificates
        or re.search(r"\d", r.text)
        or len(r.text.split()) > 3
        for r in readings
    ):
        return readings
    return _one_level_per_dimension(text.strip(), readings)
