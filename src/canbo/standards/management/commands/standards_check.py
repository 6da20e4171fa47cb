"""``canbo standards check``: who meets the standard of their post on a date, who does not and why.

    canbo standards check --unit 06184 --date 2025-07-01
    canbo standards check --unit 20 --date 2024-12-31 --status unmet --format xlsx --output chua-dat.xlsx
    canbo standards check --unit 20 --date 2030-07-01 --rules du-thao/ --status unmet   # a draft decree

One row per person × post × criterion: the result (đạt, chưa đạt, chưa đủ dữ liệu), what the
rule requires, what the person has, the basis (standard, difficult-area exception, transition
and its deadline), the legal reference — "(chưa kiểm chứng)" where the rule is not verified —
and the rule's words.
"""

from __future__ import annotations

import polars as pl

from canbo.core.standards.output import (
    CHECK_COLUMNS,
    Sheet,
    fmt_int,
    label_findings,
    render_table,
    tr,
    write_json,
    write_xlsx,
)
from canbo.standards import services
from canbo.standards.management.base import BIG, StandardsCommand, counts_line

STATUSES = ("unmet", "unknown", "met", "all")
STATUS_WORDS = {
    "unmet": ("chưa đạt", "not met"),
    "unknown": ("chưa đủ dữ liệu", "unknown"),
    "met": ("đạt", "met"),
}

#: The JSON row fields of a finding (documented in docs/architecture.md).
JSON_FIELDS = [
    "person_id",
    "person_name",
    "assignment_id",
    "unit_id",
    "unit_code",
    "unit_name",
    "title_code",
    "title_name",
    "rule_id",
    "criterion",
    "criterion_label",
    "status",
    "status_label",
    "basis",
    "basis_label",
    "required",
    "required_label",
    "actual",
    "actual_label",
    "deadline",
    "provincial_decision",
    "reference",
    "basis_reference",
    "verified",
    "message",
    "reason",
]


class Command(StandardsCommand):
    help = (
        "Kiểm tra tiêu chuẩn của người giữ chức vụ trong một đơn vị vào một ngày: đạt, chưa đạt, chưa đủ dữ liệu, "
        "kèm yêu cầu, trình độ hiện có và căn cứ pháp lý. "
        "Check everyone in post in a unit on a date against the standards of their post."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--person",
            metavar="MÃ",
            help="Chỉ một người: mã hồ sơ hoặc số định danh cá nhân. Only one person (id or identity number).",
        )
        parser.add_argument(
            "--status",
            choices=STATUSES,
            default="all",
            help="Chỉ hiện kết quả: unmet (chưa đạt), unknown (chưa đủ dữ liệu), met (đạt), all (mặc định).",
        )

    def handle(self, *args, unit, date, format, output, rules, lang, person, status, **options):
        on = self.parse_date(date, lang)
        self.need_output(format, output, lang)
        subject = self.find_unit(unit, on, lang)
        who = self.find_person(person, lang) if person else None
        ruleset = self.rules(rules, lang)

        timer = self.timer()
        result = services.check(on, unit=subject, person_ids=[who.pk] if who else None, rules=ruleset)
        findings = result.findings
        held = result.snapshot.posts_on(on)
        n_people, n_posts = held["person_id"].n_unique(), len(held)
        if n_people >= BIG or options.get("verbosity", 1) >= 2:
            self.progress(
                tr(lang, "Đã kiểm tra ", "Checked ")
                + counts_line(n_people, n_posts, len(findings), lang)
                + tr(lang, f" trong {timer.seconds(lang)} giây.", f" in {timer.seconds(lang)} s.")
            )
        if who is not None and n_posts == 0:
            self.progress(
                tr(
                    lang,
                    f"{who.full_name} không giữ chức vụ nào thuộc {subject.name} vào ngày này.",
                    f"{who.full_name} holds no post in {subject.name} on that date.",
                )
            )

        by_status = dict(findings.group_by("status").len().iter_rows()) if len(findings) else {}
        shown = findings if status == "all" else findings.filter(pl.col("status") == status)
        labelled = label_findings(shown, result.snapshot, self.titles(), lang)

        title = self.heading(
            "Kiểm tra tiêu chuẩn cán bộ, công chức", "Standards check", subject, on, rules, lang
        )
        summary = (
            counts_line(n_people, n_posts, len(findings), lang)
            + ": "
            + ", ".join(
                f"{tr(lang, *STATUS_WORDS[s])} {fmt_int(by_status.get(s, 0), lang)}"
                for s in ("met", "unmet", "unknown")
            )
        )
        if status != "all":
            summary += tr(
                lang, f" — chỉ hiện: {STATUS_WORDS[status][0]}", f" — showing: {STATUS_WORDS[status][1]}"
            )
        if who is not None:
            summary += f" — {who.full_name}"

        if format == "xlsx":
            write_xlsx(
                output,
                title,
                [Sheet(tr(lang, "Kết quả kiểm tra", "Findings"), CHECK_COLUMNS, labelled, summary)],
                lang,
            )
            self.stdout.write(
                tr(
                    lang,
                    f"Đã ghi {output}: {len(labelled)} dòng.",
                    f"Written {output}: {len(labelled)} rows.",
                )
            )
            return
        buf = self.buffer()
        if format == "json":
            meta = {
                "command": "check",
                "date": on,
                "unit": self.unit_meta(subject),
                "person": {"id": who.pk, "full_name": who.full_name} if who else None,
                "status": status,
                "lang": lang,
                "rules": {"draft": rules},
                "summary": {
                    "people": n_people,
                    "posts": n_posts,
                    "findings": len(findings),
                    **{s: by_status.get(s, 0) for s in ("met", "unmet", "unknown")},
                },
            }
            write_json(buf, meta, {"findings": labelled.select(JSON_FIELDS)})
        else:
            buf.write(title + "\n" + summary + "\n\n")
            columns = [c for c in CHECK_COLUMNS if c.key != "deadline"]
            render_table(buf, columns, labelled, lang)
        self.emit(buf.getvalue(), output, lang)
