"""Synthetic résumé items (issue 15 §6) for the people of the synthetic data
(:mod:`canbo.core.synth`): every field of Mẫu 2C-BNV/2008 (Quyết định 02/2008/QĐ-BNV) the person
record gained — places, addresses, recruitment, military service, health, policy status, the
identity document's issue, social insurance, self history — and the records: family relations,
salary history, awards, socio-political organisations. No real person's data.

Kept apart from :mod:`canbo.core.synth` and run after it with a random stream of its own (seeded
by the person's id), so that the figures of the demo story (``tests/test_demo_story.py``) do not
move. The values obey the models' rules:

* family: parents 18–40 years older than the person, children born at least 20 years after
  the person (and after the spouse's 18th year), none after ``end``; siblings within 12 years;
* salary: from the recruitment (not before 01/10/2004, when the scales of Nghị định
  204/2004/NĐ-CP began), step 1 of "Chuyên viên" (01.003) for a university graduate, else
  "Cán sự" (01.004), one step every 3 years (2 for Cán sự — Thông tư 08/2013/TT-BNV Art. 2),
  never beyond the scale, until the person leaves;
* military service 2–3 years from the 18th–20th year, for some men.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from . import personnel

#: What the generator knows of a person.


@dataclass(frozen=True)
class Facts:
    pid: int
    sex: str
    birth: date
    family_name: str
    #: The first post's start (the recruitment), the last post's end (None: still in post).
    first_start: date | None
    last_end: date | None
    #: Has a university degree (rank 01.003, else 01.004).
    graduate: bool
    #: The unit the file is kept by, its name ("Xã Hồng Phong") and its district's or province's.
    unit_name: str
    district_name: str
    province_name: str


@dataclass
class Items:
    """The résumé items of one person: profile fields and records (plain dicts, by field name)."""

    profile: dict = field(default_factory=dict)
    family: list[dict] = field(default_factory=list)
    salary: list[dict] = field(default_factory=list)
    awards: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)


SURNAMES = ["Hoàng", "Nông", "Lương", "Vi", "Lộc", "Lăng", "Chu", "Hà", "Nguyễn", "Triệu", "Đinh", "Lý"]
MALE = ["Văn Pác", "Văn Tài", "Văn Sằn", "Đức Minh", "Văn Hùng", "Quang Vinh", "Văn Thào", "Minh Đức"]
FEMALE = ["Thị Slao", "Thị Hoa", "Thị Mai", "Thị Lan", "Thu Hà", "Thị Nhung", "Ngọc Anh", "Thị Thúy"]
HAMLETS = ["Nà Chuông", "Bản Đâng", "Khòn Khuổi", "Pò Mỏ", "Nà Pàn", "Bản Thẩm", "Cốc Lùng", "Nà Làng"]
OCCUPATIONS_AT_RECRUITMENT = [
    "Nông dân",
    "Giáo viên",
    "Nhân viên hợp đồng",
    "Bộ đội xuất ngũ",
    "Sinh viên mới tốt nghiệp",
]
RELATIVE_JOBS = [
    "Làm ruộng",
    "Làm ruộng",
    "Buôn bán nhỏ",
    "Giáo viên",
    "Công nhân",
    "Hưu trí",
    "Lao động tự do",
]
MILITARY_RANKS = ["Binh nhì", "Binh nhất", "Hạ sĩ", "Trung sĩ", "Thượng sĩ"]
POLICY = ["Con thương binh", "Con liệt sĩ", "Con bệnh binh"]
BLOOD = [("O", 0.42), ("B", 0.30), ("A", 0.21), ("AB", 0.07)]
ISSUER = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
SCALES_FROM = personnel.SCALE_FROM


def _pick(rng: random.Random, pairs) -> str:
    x = rng.random()
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


def _day(rng: random.Random, year: int) -> date:
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def _name(rng: random.Random, family: str, sex: str) -> str:
    return f"{family} {rng.choice(MALE if sex == 'male' else FEMALE)}"


def _address(rng: random.Random, f: Facts) -> str:
    return f"Thôn {rng.choice(HAMLETS)}, {f.unit_name}, {f.province_name}"


def salary_history(f: Facts, end: date) -> list[dict]:
    """The salary changes of ``f`` up to ``end``: step 1 at the recruitment (or 01/10/2004), one
    step every 3 years (2 for Cán sự), never beyond the scale; until the person leaves."""
    if f.first_start is None:
        return []
    code = "01.003" if f.graduate else "01.004"
    rank = personnel.RANKS[code]
    every = 3 if f.graduate else 2
    start = max(f.first_start, SCALES_FROM)
    stop = min(end, f.last_end or end)
    rows = []
    step, on = 1, start
    # Recruited before the scales: placed at the step their years of service had reached.
    if f.first_start < SCALES_FROM:
        step = min(rank.steps, 1 + (SCALES_FROM.year - f.first_start.year) // every)
    while on <= stop:
        rows.append(
            {"valid_from": on, "rank_code": code, "step": step, "coefficient": rank.coefficient(step)}
        )
        if step >= rank.steps:
            break
        step += 1
        try:
            on = on.replace(year=on.year + every)
        except ValueError:  # 29 February
            on = date(on.year + every, 3, 1)
    return rows


def family_of(rng: random.Random, f: Facts, end: date) -> list[dict]:
    """Parents, maybe a spouse and their parents, children and siblings, as their ages allow."""
    year = f.birth.year
    out: list[dict] = []

    def add(relation: str, name: str, born: int, **more) -> None:
        deceased = born < 1945 and rng.random() < 0.6
        out.append(
            {
                "relation": relation,
                "full_name": name,
                "birth_year": born,
                "is_deceased": deceased,
                "home_town": more.get("home_town", f"{f.district_name}, {f.province_name}"),
                "occupation": "" if deceased else more.get("occupation", rng.choice(RELATIVE_JOBS)),
                "residence": "" if deceased else more.get("residence", f"{f.unit_name}, {f.province_name}"),
                "sort_order": len(out),
            }
        )

    mother_family = rng.choice(SURNAMES)
    add("father", _name(rng, f.family_name, "male"), year - rng.randint(22, 38))
    add("mother", _name(rng, mother_family, "female"), year - rng.randint(19, 35))
    spouse_year = None
    if end.year - year >= 24 and rng.random() < 0.85:
        spouse_sex = "female" if f.sex == "male" else "male"
        spouse_family = rng.choice(SURNAMES)
        spouse_year = year + rng.randint(-4, 5) if f.sex == "male" else year + rng.randint(-6, 3)
        add(
            "spouse", _name(rng, spouse_family, spouse_sex), spouse_year, occupation=rng.choice(RELATIVE_JOBS)
        )
        first_child = max(year, spouse_year) + rng.randint(21, 30)
        for i in range(rng.choice([0, 1, 2, 2, 2, 3])):
            born = first_child + i * rng.randint(2, 5)
            if born > end.year:
                break
            sex = rng.choice(["male", "female"])
            add(
                "child",
                _name(rng, f.family_name, sex),
                born,
                occupation="Học sinh" if end.year - born < 18 else rng.choice(RELATIVE_JOBS),
            )
        add("spouse_father", _name(rng, spouse_family, "male"), spouse_year - rng.randint(22, 38))
        add("spouse_mother", _name(rng, rng.choice(SURNAMES), "female"), spouse_year - rng.randint(19, 35))
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        born = year + rng.choice([-1, 1]) * rng.randint(2, 10)
        if born <= end.year:
            add("sibling", _name(rng, f.family_name, rng.choice(["male", "female"])), born)
    return out


def items_for(f: Facts, *, seed: int, end: date) -> Items:
    """The résumé items of ``f`` on ``end`` (deterministic in ``seed`` and the person's id)."""
    rng = random.Random(f"{seed}:resume:{f.pid}")
    year = f.birth.year
    items = Items()
    p = items.profile
    place = f"Thôn {rng.choice(HAMLETS)}"
    p["birth_place"] = place
    p["permanent_address"] = _address(rng, f)
    p["current_address"] = p["permanent_address"] if rng.random() < 0.8 else _address(rng, f)
    if f.first_start is not None:
        p["recruited_on"] = f.first_start
        p["recruited_occupation"] = rng.choice(OCCUPATIONS_AT_RECRUITMENT)
        p["recruiting_agency"] = f"UBND {f.district_name[:1].lower()}{f.district_name[1:]}"
    p["health_status"] = _pick(rng, [("Tốt", 0.7), ("Khá", 0.25), ("Trung bình", 0.05)])
    p["height_cm"] = rng.randint(158, 175) if f.sex == "male" else rng.randint(148, 163)
    p["weight_kg"] = rng.randint(52, 72) if f.sex == "male" else rng.randint(42, 58)
    p["blood_group"] = _pick(rng, BLOOD)
    p["social_insurance_number"] = f"20{f.pid % 100_000_000:08d}"
    issued = _day(rng, rng.randint(max(2021, year + 14), max(2021, min(2024, end.year))))
    if issued <= end:
        p["identity_issued_on"] = issued
        p["identity_issued_by"] = ISSUER
    p["self_history"] = (
        "Không bị bắt, bị tù; không làm việc trong chế độ cũ; không tham gia tổ chức nào ở nước ngoài."
    )
    if rng.random() < 0.05:
        p["policy_family"] = rng.choice(POLICY)
    if f.sex == "male" and rng.random() < 0.3 and year + 21 <= end.year:
        enlisted = _day(rng, year + rng.randint(18, 20))
        discharged = date(enlisted.year + rng.randint(2, 3), enlisted.month, enlisted.day)
        if discharged <= end:
            p["enlisted_on"], p["discharged_on"] = enlisted, discharged
            p["military_rank"] = rng.choice(MILITARY_RANKS)
            if rng.random() < 0.03:
                p["war_invalid_rank"] = "4/4"
            items.memberships.append(
                {"organisation": "veterans", "joined_on": discharged, "role": "Hội viên"}
            )
    p["strengths"] = rng.choice(
        ["Công tác dân vận", "Hành chính, văn thư", "Pháp luật, hòa giải", "Kinh tế nông nghiệp", ""]
    )

    items.family = family_of(rng, f, end)
    items.salary = salary_history(f, end)
    youth = _day(rng, year + rng.randint(15, 19))
    if youth <= end:
        left = date(year + 30, youth.month, youth.day)
        items.memberships.append(
            {
                "organisation": "youth_union",
                "joined_on": youth,
                "left_on": left if left <= end else None,
                "role": "Đoàn viên",
            }
        )
    if f.sex == "female" and f.first_start is not None:
        items.memberships.append({"organisation": "women", "joined_on": f.first_start, "role": "Hội viên"})
    if f.first_start is not None:
        for y in range(max(f.first_start.year + 1, 2006), min(end.year, (f.last_end or end).year) + 1):
            if rng.random() < 0.12:
                decided = date(y, 12, rng.randint(15, 28))
                if decided <= end:
                    items.awards.append(
                        {
                            "decided_on": decided,
                            "form": "commendation",
                            "level": "district" if y < 2025 else "commune",
                            "name": f"Giấy khen của Chủ tịch UBND {'huyện' if y < 2025 else 'xã'}",
                        }
                    )
    return items
