"""What ``canbo standards check`` and ``canbo standards staffing`` share: the options, the unit and date lookups
with their Vietnamese-first errors, the draft rules, progress on stderr and the output file."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone, translation

from canbo.common.dates import out_of_range, parse_user_date
from canbo.core.formatting import fmt_date, fmt_int, tr
from canbo.core.standards.rules import RuleFileError, RuleSet, load_rules
from canbo.registry.models import Person, Title, Unit
from canbo.standards import services

#: Units this large (people in post) get progress lines on stderr.
BIG = 1000


class StandardsCommand(BaseCommand):
    """Base of the standards commands (see the subclasses' ``help``)."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit",
            required=True,
            metavar="MÃ",
            help="Mã đơn vị hành chính (tỉnh, huyện cũ hoặc xã) còn hiệu lực vào ngày xét. "
            "Unit code (province, legacy district or commune) valid on the date.",
        )
        parser.add_argument(
            "--date",
            metavar="NGÀY",
            help="Ngày xét, YYYY-MM-DD hoặc dd/mm/yyyy (mặc định hôm nay). Date (default today).",
        )
        parser.add_argument(
            "--format",
            choices=["table", "json", "xlsx"],
            default="table",
            help="Định dạng: bảng (mặc định), json hoặc xlsx. Output format.",
        )
        parser.add_argument(
            "--output",
            metavar="TỆP",
            help="Tệp kết quả (bắt buộc với xlsx; mặc định in ra màn hình). Output file.",
        )
        parser.add_argument(
            "--rules",
            metavar="THƯ_MỤC",
            help="Thư mục dự thảo quy tắc áp dụng thay quy định quốc gia từ ngày có hiệu lực của "
            "dự thảo. A draft rule directory applied over the national rules.",
        )
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ / language (vi, en)."
        )

    # ------------------------------------------------------------------ parsing

    def parse_date(self, value: str | None, lang: str) -> date:
        if value is None:
            return timezone.localdate()
        parsed = parse_user_date(value)
        if parsed is not None:
            refused = out_of_range(parsed)
            if refused:
                raise CommandError(tr(lang, *refused))
            return parsed
        raise CommandError(
            tr(
                lang,
                f"Ngày không hợp lệ «{value}»: cần một ngày có thật, dạng YYYY-MM-DD (ví dụ 2025-07-01) hoặc dd/mm/yyyy.",
                f"Invalid date «{value}»: expected a real date as YYYY-MM-DD (e.g. 2025-07-01) or dd/mm/yyyy.",
            )
        )

    def find_unit(self, code: str, on: date, lang: str) -> Unit:
        """The unit with ``code`` valid on ``on`` (codes are reused across eras)."""
        code = code.strip()
        qs = Unit.objects.filter(code=code)
        valid = list(
            qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=on)
            )
        )
        if valid:
            order = {"province": 0, "district": 1, "commune_level": 2}
            return sorted(valid, key=lambda u: order.get(u.level, 3))[0]
        others = list(qs.order_by("valid_from"))
        msg_vi = (
            f"Không tìm thấy đơn vị hành chính có mã «{code}» còn hiệu lực vào ngày {fmt_date(on, 'vi')}."
        )
        msg_en = f"No administrative unit with code «{code}» is valid on {on.isoformat()}."
        if others:
            eras = "; ".join(
                f"{u.name} ({fmt_date(u.valid_from, lang) or '…'}–{fmt_date(u.valid_to, lang) or '…'})"
                for u in others
            )
            msg_vi += f" Mã này thuộc: {eras}."
            msg_en += f" This code belongs to: {eras}."
        raise CommandError(tr(lang, msg_vi, msg_en))

    def find_person(self, value: str, lang: str) -> Person:
        """A person by database id or 12-digit personal identification number."""
        text = value.strip()
        person = None
        if text.isdigit():
            if len(text) == 12:
                person = Person.objects.filter(identity_number=text).first()
            if person is None:
                person = Person.objects.filter(pk=int(text)).first()
        if person is None:
            raise CommandError(
                tr(
                    lang,
                    f"Không tìm thấy cán bộ, công chức có mã hoặc số định danh cá nhân «{value}».",
                    f"No person with id or personal identification number «{value}».",
                )
            )
        return person

    def rules(self, draft: str | None, lang: str) -> RuleSet:
        """The national rules, with the draft directory applied over them when given."""
        national = services.national_rules()
        if not draft:
            return national
        try:
            return national.with_draft(load_rules(Path(draft)))
        except RuleFileError as e:
            raise CommandError(
                tr(lang, "Dự thảo quy tắc không hợp lệ:\n", "The draft rules are invalid:\n") + str(e)
            ) from e

    def titles(self) -> dict[str, str]:
        return dict(Title.objects.values_list("code", "name"))

    # ------------------------------------------------------------------ output

    def progress(self, message: str) -> None:
        self.stderr.write(message)

    def unit_meta(self, unit: Unit) -> dict:
        return {
            "id": unit.pk,
            "code": unit.code,
            "name": unit.name,
            "level": unit.level,
            "kind": unit.kind,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
        }

    def heading(self, what_vi: str, what_en: str, unit: Unit, on: date, draft: str | None, lang: str) -> str:
        text = tr(
            lang,
            f"{what_vi} — {unit.name} (mã {unit.code}), ngày {fmt_date(on, lang)}",
            f"{what_en} — {unit.name} (code {unit.code}), on {fmt_date(on, lang)}",
        )
        if draft:
            text += tr(lang, f" — theo dự thảo quy tắc {draft}", f" — with the draft rules {draft}")
        return text

    def emit(self, text: str, output: str | None, lang: str) -> None:
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(tr(lang, f"Đã ghi {output}.", f"Written to {output}."))
        else:
            self.stdout.write(text, ending="")

    def need_output(self, fmt: str, output: str | None, lang: str) -> None:
        if fmt == "xlsx" and not output:
            raise CommandError(
                tr(lang, "Định dạng xlsx cần --output TỆP.xlsx.", "The xlsx format needs --output FILE.xlsx.")
            )

    def timer(self) -> _Timer:
        return _Timer()

    def buffer(self) -> io.StringIO:
        return io.StringIO()

    def execute(self, *args, **options):
        with translation.override(options.get("lang") or "vi"):
            return super().execute(*args, **options)


class _Timer:
    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def seconds(self, lang: str) -> str:
        s = f"{time.perf_counter() - self.t0:.1f}"
        return s if lang == "en" else s.replace(".", ",")


def counts_line(people: int, posts: int, findings: int, lang: str) -> str:
    return tr(
        lang,
        f"{fmt_int(people, lang)} người, {fmt_int(posts, lang)} chức vụ, {fmt_int(findings, lang)} kết quả",
        f"{fmt_int(people, lang)} people, {fmt_int(posts, lang)} posts, {fmt_int(findings, lang)} findings",
    )


__all__ = ["BIG", "StandardsCommand", "counts_line"]
