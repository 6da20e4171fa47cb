"""``canbo plan training``: a multi-year training plan for a unit within seats and budget (issue 13).

    canbo plan training --unit 06184 --start-year 2026 --years 5
    canbo plan training --unit 20 --start-year 2026 --years 5 --degree-seats 18 --budget 2000000000 \\
        --format xlsx --output ke-hoach.xlsx

Reads the unit's snapshot on the planning date (``--date``, default 1 January of the start year),
turns the standards engine's verdicts into training needs (the rules of that date, and of the
first day after the horizon for needs that become due), and plans who attends which course of
the catalogue (admin: *Danh mục khóa học*) in which year with HiGHS; prints the plan, the needs
left open and why, the solver's proven gap and the greedy rule's result on the same instance.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl
from django.core.management.base import CommandError

from canbo.core.formatting import fmt_int, tr
from canbo.core.standards.output import Column, Sheet, render_table, write_xlsx
from canbo.core.training.instance import build_instance
from canbo.core.training.needs import training_needs
from canbo.core.training.optimise import REASONS, Plan, greedy, optimise
from canbo.standards import services
from canbo.standards.management.base import StandardsCommand
from canbo.standards.snapshot import load_snapshot
from canbo.training.models import Course

CRITERIA = {
    "general_education": ("Giáo dục phổ thông", "General education"),
    "professional": ("Trình độ chuyên môn", "Professional level"),
    "field_of_study": ("Ngành đào tạo", "Field of study"),
    "political_theory": ("Lý luận chính trị", "Political theory"),
    "state_management": ("Quản lý nhà nước", "State management"),
    "it": ("Tin học", "IT"),
    "foreign_language": ("Ngoại ngữ", "Foreign language"),
    "ethnic_language": ("Tiếng dân tộc thiểu số", "Ethnic-minority language"),
    "leadership_programme": ("Bồi dưỡng lãnh đạo, quản lý", "Leadership programme"),
}
STATUS = {
    "optimal": ("tối ưu (đã chứng minh)", "optimal (proven)"),
    "time_limit": ("HẾT THỜI GIAN — phương án tốt nhất tìm được", "TIME LIMIT — best plan found"),
    "empty": ("không có phương án nào khả thi", "nothing can be planned"),
    "gap_above_tolerance": (
        "chưa chứng minh được trong sai số cho phép — phương án tốt nhất tìm được",
        "not proven within the tolerance — best plan found",
    ),
}

PLAN_COLUMNS = [
    Column("year", "Năm bắt đầu", "Start year", 10),
    Column("course", "Mã khóa", "Course", 12),
    Column("course_name", "Khóa học", "Course name", 36, "wrap"),
    Column("person_name", "Họ và tên", "Full name", 24),
    Column("unit_name", "Đơn vị", "Unit", 22),
    Column("closes", "Đáp ứng tiêu chí", "Closes", 30, "wrap"),
    Column("counts_from", "Có trình độ từ năm", "Counts from", 10),
    Column("cost", "Kinh phí (đồng)", "Cost (VND)", 14, "int"),
]
OPEN_COLUMNS = [
    Column("person_name", "Họ và tên", "Full name", 24),
    Column("unit_name", "Đơn vị", "Unit", 22),
    Column("criterion", "Tiêu chí", "Criterion", 22, "wrap"),
    Column("required", "Yêu cầu", "Required", 18, "wrap"),
    Column("deadline", "Thời hạn", "Deadline", 12),
    Column("reasons", "Lý do chưa đáp ứng", "Why not met", 50, "wrap"),
]


class Command(StandardsCommand):
    help = (
        "Lập kế hoạch đào tạo, bồi dưỡng nhiều năm cho một đơn vị trong giới hạn chỉ tiêu và kinh phí. "
        "Plan training for a unit over several years within seats and budget."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--start-year", type=int, required=True, metavar="NĂM", help="Năm đầu kế hoạch.")
        parser.add_argument("--years", type=int, default=5, metavar="N", help="Số năm (mặc định 5).")
        parser.add_argument(
            "--degree-seats",
            type=int,
            metavar="N",
            help="Chỉ tiêu đào tạo trình độ (trung cấp trở lên) mỗi năm, mọi khóa cộng lại.",
        )
        parser.add_argument("--budget", type=int, metavar="ĐỒNG", help="Kinh phí mỗi năm (đồng).")
        parser.add_argument(
            "--share",
            type=float,
            default=0.2,
            metavar="TỶ_LỆ",
            help="Tỷ lệ tối đa cán bộ, công chức của một xã đi học dài hạn cùng lúc (mặc định 0,2).",
        )
        parser.add_argument(
            "--time-limit", type=float, default=60.0, metavar="GIÂY", help="Thời gian giải tối đa (giây)."
        )

    def handle(self, *args, unit, date: str | None, format, output, rules, lang, **options):
        start, years = options["start_year"], options["years"]
        budget, seats, share = options["budget"], options["degree_seats"], options["share"]
        problems = []
        if not 2000 <= start <= 2100:
            problems.append(tr(lang, f"Năm bắt đầu không hợp lệ: {start}.", f"Invalid start year: {start}."))
        if not 1 <= years <= 15:
            problems.append(tr(lang, "Số năm phải từ 1 đến 15.", "--years must be between 1 and 15."))
        if budget is not None and budget < 0:
            problems.append(tr(lang, "Kinh phí không được âm.", "The budget cannot be negative."))
        if seats is not None and seats < 0:
            problems.append(tr(lang, "Chỉ tiêu không được âm.", "Seats cannot be negative."))
        if not 0 <= share <= 1:
            problems.append(tr(lang, "Tỷ lệ đi học phải từ 0 đến 1.", "--share must be between 0 and 1."))
        if problems:
            raise CommandError(" ".join(problems), returncode=2)
        on = self.parse_date(date, lang) if date else _date(start, 1, 1)
        self.need_output(format, output, lang)
        try:
            subject = self.find_unit(unit, on, lang)
        except CommandError as e:
            raise CommandError(str(e), returncode=2) from None
        ruleset = self.rules(rules, lang)
        catalogue = [c.as_core() for c in Course.objects.filter(active=True)]
        if not catalogue:
            self.progress(tr(lang, "Danh mục khóa học đang trống.", "The course catalogue is empty."))

        timer = self.timer()
        snapshot = load_snapshot(on, subject, staffing=False)
        result = training_needs(
            snapshot, on, catalogue, ruleset, services.provincial_layer(), future=_date(start + years, 1, 1)
        )
        inst = build_instance(
            result, catalogue, start, years, budget=budget, degree_seats=seats, away_share=share
        )
        best = optimise(inst, time_limit=options["time_limit"])
        by_hand = greedy(inst)
        self.progress(
            tr(
                lang,
                f"Đã lập kế hoạch trong {timer.seconds(lang)} giây.",
                f"Planned in {timer.seconds(lang)} s.",
            )
        )

        names = dict(snapshot.people.select("person_id", "full_name").iter_rows())
        units = dict(snapshot.units.select("unit_id", "name").iter_rows())
        courses = {c.code: c for c in catalogue}
        plan_rows = _plan_rows(best, result, courses, names, units, lang)
        open_rows = _open_rows(best, result, names, units, lang)
        title = self.heading("Kế hoạch đào tạo, bồi dưỡng", "Training plan", subject, on, rules, lang)
        title += tr(lang, f" — {start}–{start + years - 1}", f" — {start}–{start + years - 1}")
        summary = _summary(best, by_hand, result, inst, lang)

        if format == "json":
            doc = {
                "command": "plan training",
                "unit": self.unit_meta(subject),
                "date": on.isoformat(),
                "start_year": start,
                "years": years,
                "degree_seats": seats,
                "budget": budget,
                "share": share,
                "rules": {"draft": rules},
                "needs": len(result.needs),
                "unknown_findings": result.unknown_findings,
                "optimiser": _plan_meta(best),
                "greedy": _plan_meta(by_hand),
                "ratio": (best.objective / by_hand.objective) if by_hand.objective else None,
                "plan": plan_rows.to_dicts(),
                "open_needs": open_rows.to_dicts(),
            }
            self.emit(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", output, lang)
        shown = plan_rows.with_columns(pl.col("year", "counts_from").cast(pl.String))
        if format == "json":
            pass
        elif format == "xlsx":
            write_xlsx(
                output,
                title,
                [
                    Sheet(tr(lang, "Kế hoạch", "Plan"), PLAN_COLUMNS, shown, summary),
                    Sheet(tr(lang, "Nhu cầu chưa đáp ứng", "Open needs"), OPEN_COLUMNS, open_rows, summary),
                ],
                lang,
            )
            self.stdout.write(tr(lang, f"Đã ghi {output}.", f"Written {output}."))
        else:
            buf = self.buffer()
            buf.write(title + "\n" + summary + "\n\n")
            buf.write(tr(lang, "Kế hoạch theo năm và khóa học:\n", "Plan by year and course:\n"))
            render_table(buf, PLAN_COLUMNS, shown, lang)
            if len(open_rows):
                buf.write(
                    tr(
                        lang,
                        "\nNhu cầu chưa đáp ứng hoặc đáp ứng sau thời hạn, và lý do:\n",
                        "\nNeeds left open or met after their deadline, and why:\n",
                    )
                )
                render_table(buf, OPEN_COLUMNS, open_rows, lang)
            self.emit(buf.getvalue(), output, lang)


def _date(y: int, m: int, d: int) -> date:
    return date(y, m, d)


def _plan_meta(plan: Plan) -> dict[str, Any]:
    return {
        "status": plan.status,
        "objective": round(plan.objective, 4),
        "gap": plan.gap,
        "bound": plan.bound,
        "seconds": round(plan.seconds, 3),
        "assignments": len(plan.assignments),
        "needs_closed": sum(1 for o in plan.outcomes if o.closed_by is not None),
    }


def _summary(best: Plan, by_hand: Plan, result, inst, lang: str) -> str:
    closed = sum(1 for o in best.outcomes if o.closed_by is not None)
    closed_g = sum(1 for o in by_hand.outcomes if o.closed_by is not None)
    status = tr(lang, *STATUS.get(best.status, (best.status, best.status)))
    gap = "—" if best.gap is None else f"{best.gap * 100:.2f} %"
    ratio = f"{best.objective / by_hand.objective:.3f}" if by_hand.objective else "—"
    return tr(
        lang,
        f"{fmt_int(len(result.needs), lang)} nhu cầu của {fmt_int(len(result.people), lang)} người "
        f"({fmt_int(result.unknown_findings, lang)} kết quả chưa đủ dữ liệu không tính); "
        f"kế hoạch tối ưu: {fmt_int(len(best.assignments), lang)} lượt, đáp ứng {fmt_int(closed, lang)} nhu cầu, "
        f"điểm {_num(best.objective, lang)} — {status}, khoảng cách tối ưu {gap.replace('.', ',')}; "
        f"cách làm thủ công (cấp thiết trước): đáp ứng {fmt_int(closed_g, lang)}, "
        f"điểm {_num(by_hand.objective, lang)}; "
        f"tỷ số {ratio.replace('.', ',')}.",
        f"{len(result.needs)} needs of {len(result.people)} people ({result.unknown_findings} unknown "
        f"findings left out); optimised plan: {len(best.assignments)} attendances closing {closed} needs, "
        f"score {best.objective:.1f} — {status}, proven gap {gap}; by hand (most urgent first): "
        f"{closed_g} needs, score {by_hand.objective:.1f}; ratio {ratio}.",
    )


def _plan_rows(best: Plan, result, courses, names, units, lang: str) -> pl.DataFrame:
    closes: dict[tuple[int, str, int], list[str]] = {}
    counts: dict[tuple[int, str, int], int] = {}
    for o in best.outcomes:
        if o.closed_by is not None:
            n = result.needs[o.need.need_id]
            key = (o.closed_by.person_id, o.closed_by.course, o.closed_by.year)
            closes.setdefault(key, []).append(
                tr(lang, *CRITERIA.get(n.criterion, (n.criterion, n.criterion)))
            )
            counts[key] = o.counts_from or 0
    rows = []
    for a in best.assignments:
        c = courses[a.course]
        p = result.people.get(a.person_id)
        key = (a.person_id, a.course, a.year)
        rows.append(
            {
                "year": a.year,
                "course": a.course,
                "course_name": c.name,
                "person_id": a.person_id,
                "person_name": names.get(a.person_id, ""),
                "unit_name": units.get(p.unit_id, "") if p else "",
                "closes": ", ".join(closes.get(key, []))
                or tr(lang, "(trình độ cần có trước)", "(prerequisite)"),
                "counts_from": a.year + c.years,
                "cost": c.cost,
            }
        )
    schema = {
        "year": pl.Int64,
        "course": pl.String,
        "course_name": pl.String,
        "person_id": pl.Int64,
        "person_name": pl.String,
        "unit_name": pl.String,
        "closes": pl.String,
        "counts_from": pl.Int64,
        "cost": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def _required_label(criterion: str, required: str, lang: str) -> str:
    """A level or the accepted fields in words (the registry's scales)."""
    from canbo.core import scales

    if criterion == "field_of_study":
        names = [
            scales.FIELDS_OF_STUDY.get(f.strip(), (f.strip(), f.strip()))
            for f in required.split(",")
            if f.strip()
        ]
        return ", ".join(tr(lang, *n) for n in names)
    if scales.is_valid_level(criterion, required):
        lv = scales.level(criterion, required)
        return tr(lang, lv.label_vi, lv.label_en)
    return required


def _num(x: float, lang: str) -> str:
    text = f"{x:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def _open_rows(best: Plan, result, names, units, lang: str) -> pl.DataFrame:
    rows = []
    for o in best.outcomes:
        late = o.closed_by is not None and o.on_time is False
        if o.closed_by is not None and not late:
            continue
        n = result.needs[o.need.need_id]
        p = result.people.get(n.person_id)
        why = [tr(lang, *REASONS[r]) for r in o.reasons] + o.details
        if n.deadline_reference and n.deadline:
            why.append(
                tr(lang, f"thời hạn theo {n.deadline_reference}", f"deadline under {n.deadline_reference}")
            )
        rows.append(
            {
                "person_id": n.person_id,
                "person_name": names.get(n.person_id, ""),
                "unit_name": units.get(p.unit_id, "") if p else "",
                "criterion": tr(lang, *CRITERIA.get(n.criterion, (n.criterion, n.criterion))),
                "criterion_code": n.criterion,
                "required": _required_label(n.criterion, n.required, lang),
                "deadline": n.deadline.strftime("%d/%m/%Y") if n.deadline else "",
                "reasons": "; ".join(why),
                "reason_codes": ",".join(o.reasons),
            }
        )
    schema = {
        "person_id": pl.Int64,
        "person_name": pl.String,
        "unit_name": pl.String,
        "criterion": pl.String,
        "criterion_code": pl.String,
        "required": pl.String,
        "deadline": pl.String,
        "reasons": pl.String,
        "reason_codes": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
