"""``canbo standards staffing``: quota, headcount, *thừa, thiếu, yếu* per commune on a date, rolled up
to the legacy district and the province, then the people concerned.

    canbo standards staffing --unit 183 --date 2024-12-31
    canbo standards staffing --unit 20 --date 2025-12-31 --format xlsx --output bien-che.xlsx

Per unit: the quota (định biên; unknown where the class or the province's decision is
missing), the headcount, surplus (thừa) and shortfall (thiếu) against the quota, the titles of
the establishment left vacant, and how many people are below standard (yếu), hold a degree of
another field (trái ngành) or lack data. Then, per commune, the people behind those counts.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from canbo.core.standards.output import (
    STAFFING_PEOPLE_COLUMNS,
    STAFFING_UNIT_COLUMNS,
    Sheet,
    fmt_int,
    label_staffing,
    render_table,
    tr,
    write_json,
    write_xlsx,
)
from canbo.core.standards.staffing import UNIT_COLUMNS
from canbo.standards import services
from canbo.standards.management.base import BIG, StandardsCommand, counts_line

#: The JSON row fields (documented in docs/architecture.md): the report's unit columns.
UNIT_FIELDS = UNIT_COLUMNS
PEOPLE_FIELDS = [
    "unit_id",
    "unit_code",
    "unit_name",
    "person_id",
    "full_name",
    "category",
    "category_label",
    "titles",
    "criteria",
    "references",
]


def _as_list(column: str, sep: str) -> pl.Expr:
    c = pl.col(column).fill_null("")
    return (
        pl.when(c == "").then(pl.lit([], dtype=pl.List(pl.String))).otherwise(c.str.split(sep)).alias(column)
    )


class Command(StandardsCommand):
    help = (
        "Phân tích biên chế của các xã trong một đơn vị vào một ngày: định biên, hiện có, thừa, thiếu, chức danh "
        "còn trống, số người chưa đạt chuẩn, trái ngành, thiếu dữ liệu, cộng lên huyện và tỉnh; rồi danh sách người. "
        "Staffing of each commune (quota, headcount, surplus, shortfall, vacancies, below standard) with roll-ups."
    )

    def handle(self, *args, unit, date, format, output, rules, lang, **options):
        on = self.parse_date(date, lang)
        self.need_output(format, output, lang)
        subject = self.find_unit(unit, on, lang)
        ruleset = self.rules(rules, lang)

        timer = self.timer()
        result = services.check(on, unit=subject, rules=ruleset)
        report = services.staffing(result)
        held = result.snapshot.posts_on(on)
        n_people, n_posts = held["person_id"].n_unique(), len(held)
        if n_people >= BIG or options.get("verbosity", 1) >= 2:
            self.progress(
                tr(lang, "Đã phân tích ", "Analysed ")
                + counts_line(n_people, n_posts, len(result.findings), lang)
                + tr(lang, f" trong {timer.seconds(lang)} giây.", f" in {timer.seconds(lang)} s.")
            )
        # The roll-ups of the units above the one asked for would count only its part: leave them out.
        above = []
        parent = subject.parent
        while parent is not None:
            above.append(parent.pk)
            parent = parent.parent
        report = replace(report, units=report.units.filter(~pl.col("unit_id").is_in(above)))
        units, people = label_staffing(report, result.snapshot, self.titles(), lang)

        title = self.heading(
            "Phân tích biên chế (thừa, thiếu, yếu)", "Staffing analysis", subject, on, rules, lang
        )
        communes = units.filter(pl.col("level") == "commune_level")
        summary = tr(
            lang,
            f"{fmt_int(len(communes), lang)} xã, {fmt_int(n_people, lang)} người đang giữ chức vụ",
            f"{fmt_int(len(communes), lang)} communes, {fmt_int(n_people, lang)} people in post",
        )

        if format == "xlsx":
            write_xlsx(
                output,
                title,
                [
                    Sheet(tr(lang, "Đơn vị", "Units"), STAFFING_UNIT_COLUMNS, units, summary),
                    Sheet(
                        tr(lang, "Người cần lưu ý", "People"),
                        STAFFING_PEOPLE_COLUMNS,
                        people,
                        tr(
                            lang,
                            "Người chưa đạt chuẩn, trái ngành hoặc thiếu dữ liệu",
                            "People below standard, with a field mismatch or missing data",
                        ),
                    ),
                ],
                lang,
            )
            self.stdout.write(
                tr(
                    lang,
                    f"Đã ghi {output}: {len(units)} đơn vị, {len(people)} dòng người.",
                    f"Written {output}: {len(units)} units, {len(people)} people rows.",
                )
            )
            return
        buf = self.buffer()
        if format == "json":
            meta = {
                "command": "staffing",
                "date": on,
                "unit": self.unit_meta(subject),
                "lang": lang,
                "rules": {"draft": rules},
                "summary": {"communes": len(communes), "people": n_people, "posts": n_posts},
            }
            write_json(
                buf,
                meta,
                {
                    "units": units.with_columns(
                        _as_list("vacant_titles", ", "),
                        _as_list("over_titles", ", "),
                        *(
                            []
                            if "quota_note_en" in units.columns
                            else [pl.lit(None, dtype=pl.String).alias("quota_note_en")]
                        ),
                    ).select(UNIT_FIELDS),
                    "people": people.with_columns(
                        _as_list("titles", ", "), _as_list("criteria", ", "), _as_list("references", "; ")
                    ).select(PEOPLE_FIELDS),
                },
            )
        else:
            buf.write(title + "\n" + summary + "\n\n")
            render_table(buf, STAFFING_UNIT_COLUMNS, units, lang)
            buf.write(
                "\n"
                + tr(
                    lang,
                    "Người cần lưu ý (chưa đạt chuẩn, trái ngành, thiếu dữ liệu):",
                    "People concerned (below standard, field mismatch, missing data):",
                )
                + "\n\n"
            )
            render_table(buf, STAFFING_PEOPLE_COLUMNS, people, lang)
        self.emit(buf.getvalue(), output, lang)
