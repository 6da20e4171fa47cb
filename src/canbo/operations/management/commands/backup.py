"""``canbo backup [--output FILE]``: the database and the uploaded files in one archive
(:mod:`canbo.operations.backup`; docs/deploy.md, "Backups")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation

from canbo.core.formatting import fmt_int, tr
from canbo.operations.backup import make_backup
from canbo.operations.databases import OperationError
from canbo.operations.restore import fmt_size


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (SQLite hoặc PostgreSQL) và các tệp tải lên vào một tệp .tar.gz có bản kê "
        "(manifest) và mã băm SHA-256; chạy được khi máy chủ đang chạy. "
        "Back up the database and the uploaded files into one verified archive."
    )

    #: Django's system checks open the database before anything else: an unreachable database
    #: would end in a traceback instead of this command's message.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="TỆP",
            help="Tệp sao lưu (.tar.gz; mặc định var/backups/canbo-NGÀY-GIỜ.tar.gz). The archive to write.",
        )
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ / language (vi, en)."
        )

    def handle(self, *args, output, lang, **options):
        def progress(vi: str, en: str) -> None:
            self.stdout.write(tr(lang, vi, en))

        with translation.override(lang):
            try:
                result = make_backup(Path(output) if output else None, progress)
            except OperationError as e:
                raise CommandError(e.message(lang), returncode=e.code) from None
            except DatabaseError as e:  # the database cannot be reached, a permission …
                raise CommandError(
                    tr(lang, f"Lỗi cơ sở dữ liệu: {e}", f"Database error: {e}").strip(), returncode=1
                ) from None
        m = result.manifest
        size = fmt_size(result.path.stat().st_size, lang)
        rows = sum(m.tables.values())
        self.stdout.write(
            tr(
                lang,
                f"Đã sao lưu vào {result.path} ({size}): {fmt_int(rows)} dòng trong {len(m.tables)} bảng, "
                f"{fmt_int(len(m.media))} tệp tải lên.",
                f"Backed up to {result.path} ({size}): {fmt_int(rows, 'en')} rows in {len(m.tables)} "
                f"tables, {len(m.media)} uploaded files.",
            )
        )
        for name in result.skipped:
            self.stderr.write(
                tr(
                    lang,
                    f"Cảnh báo: bỏ qua «{name}» (liên kết, tệp đặc biệt hoặc tên không hợp lệ).",
                    f"Warning: «{name}» left out (a link, a special file or an invalid name).",
                )
            )
        for name in result.missing_uploads:
            self.stderr.write(
                tr(
                    lang,
                    f"Cảnh báo: tệp nhập danh sách «{name}» có trong cơ sở dữ liệu nhưng không còn trong MEDIA_ROOT.",
                    f"Warning: the import file «{name}» is recorded but missing from MEDIA_ROOT.",
                )
            )
