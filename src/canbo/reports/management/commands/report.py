"""``canbo report``: an official report of a unit on a date, as xlsx or PDF.

    canbo report quality --unit 20 --date 2024-12-31
    canbo report staffing --unit 183 --date 2024-12-31 --format pdf --output bien-che.pdf
    canbo report trend --unit 06184 --format pdf --lang en

Reports (``docs/reports.md``): ``quality`` (số lượng, chất lượng: one row per commune,
subtotals per legacy district, the total), ``staffing`` (thừa, thiếu, yếu per commune, then the
people below standard), ``trend`` (the main indicators year by year since 2005, with a chart).
The date defaults to 31 December of this year if that day has come, otherwise today.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from canbo.core.formatting import fmt_date
from canbo.reports import services
from canbo.standards.management.base import StandardsCommand


class Command(StandardsCommand):
    help = (
        "Lập báo cáo của một đơn vị vào một ngày, dạng xlsx hoặc PDF: quality (số lượng, chất lượng cán bộ, "
        "công chức cấp xã), staffing (thừa, thiếu, yếu), trend (diễn biến qua các năm). "
        "An official report of a unit on a date (quality, staffing, trend) as xlsx or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "name", metavar="BÁO_CÁO", help="Tên báo cáo: quality, staffing hoặc trend. Report name."
        )
        parser.add_argument(
            "--unit",
            required=True,
            metavar="MÃ",
            help="Mã đơn vị hành chính (tỉnh, huyện cũ hoặc xã) còn hiệu lực vào ngày báo cáo. "
            "Unit code valid on the date.",
        )
        parser.add_argument(
            "--date",
            metavar="NGÀY",
            help="Ngày báo cáo, YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: 31/12 năm nay nếu đã đến, "
            "không thì hôm nay). Date of the figures.",
        )
        parser.add_argument(
            "--format",
            choices=sorted(services.FORMATS),
            default="xlsx",
            help="Định dạng: xlsx (mặc định) hoặc pdf. Output format.",
        )
        parser.add_argument(
            "--output",
            metavar="TỆP",
            help="Tệp kết quả (mặc định: bao-cao-….xlsx/pdf trong thư mục hiện tại). Output file.",
        )
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ / language (vi, en)."
        )

    def handle(self, *args, name, unit, date, format, output, lang, **options):
        if name not in services.REPORTS:
            raise CommandError(
                _("Không có báo cáo «%(name)s». Các báo cáo: %(names)s.")
                % {"name": name, "names": ", ".join(f"{k} ({v})" for k, v in services.REPORTS.items())}
            )
        on = self.parse_date(date, lang) if date else services.default_date()
        subject = self.find_unit(unit, on, lang)
        verbose = options.get("verbosity", 1) >= 2

        def progress(day, people):
            if verbose:
                self.progress(
                    _("Ngày %(date)s: %(people)s người đang giữ chức danh.")
                    % {"date": fmt_date(day, lang), "people": people}
                )

        timer = self.timer()
        report = services.build(name, subject, on, lang, progress=progress)
        data = services.render(report, format)
        path = Path(output) if output else Path(services.filename(name, subject, on, format))
        try:
            path.write_bytes(data)
        except OSError as e:
            raise CommandError(
                _("Không ghi được tệp %(path)s: %(error)s") % {"path": path, "error": e.strerror or e}
            ) from e
        self.stdout.write(
            _("Đã ghi %(path)s: %(title)s — %(unit)s, %(date)s (%(seconds)s giây).")
            % {
                "path": path,
                "title": report.title,
                "unit": subject.name,
                "date": report.as_of_line,
                "seconds": timer.seconds(lang),
            }
        )
