"""``canbo restore FILE [--force]``: put a backup back, only after all of it is verified
(:mod:`canbo.operations.restore`; docs/deploy.md, "Backups"). Exit code 2: refused, nothing
changed; 1: failed while restoring, what was changed put back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation

from canbo.core.formatting import fmt_int, tr
from canbo.operations.databases import OperationError
from canbo.operations.restore import restore, summary_lines


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của «canbo backup»: kiểm tra toàn bộ tệp (manifest, mã băm, loại cơ sở dữ "
        "liệu, phiên bản) trước khi thay; không ghi đè dữ liệu đang có nếu không có --force. "
        "Restore a backup made by `canbo backup`, verified before anything is replaced."
    )
    #: Django's system checks open the database (a JSON field's check does): a restore into a
    #: database file not yet there must not create it before the archive is verified.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="TỆP", help="Tệp sao lưu (.tar.gz). The archive.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Thay cả khi cơ sở dữ liệu hoặc MEDIA_ROOT đích đã có dữ liệu. Replace existing data.",
        )
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ / language (vi, en)."
        )

    def handle(self, *args, file, force, lang, **options):
        def progress(vi: str, en: str) -> None:
            self.stdout.write(tr(lang, vi, en))

        with translation.override(lang):
            try:
                result = restore(Path(file), force=force, progress=progress)
            except OperationError as e:
                raise CommandError(e.message(lang), returncode=e.code) from None
            except DatabaseError as e:  # the database cannot be reached, a permission …
                raise CommandError(
                    tr(lang, f"Lỗi cơ sở dữ liệu: {e}", f"Database error: {e}").strip(), returncode=1
                ) from None
            self.stdout.write(tr(lang, "Đã khôi phục:", "Restored:"))
            for line in summary_lines(result, lang):
                self.stdout.write(line)
        for note in result.notes:
            self.stdout.write("  " + tr(lang, *note))
        if result.mismatched:
            shown = ", ".join(result.mismatched[:5])
            raise CommandError(
                tr(
                    lang,
                    f"Số dòng sau khi khôi phục khác bản sao lưu ở {len(result.mismatched)} bảng ({shown}).",
                    f"Rows after the restore differ from the backup in {len(result.mismatched)} tables ({shown}).",
                ),
                returncode=1,
            )
        self.stdout.write(
            tr(
                lang,
                f"  Cả {len(result.tables)} bảng khớp số dòng với bản sao lưu.",
                f"  All {len(result.tables)} tables have the backup's row counts.",
            )
        )
        if result.pending:
            self.stdout.write(
                tr(
                    lang,
                    f"Cơ sở dữ liệu từ phiên bản canbo cũ hơn ({result.manifest.canbo_version}): còn "
                    f"{fmt_int(len(result.pending))} migration chưa áp dụng. Chạy «canbo migrate» trước khi khởi động "
                    "máy chủ.",
                    f"The database comes from an older canbo ({result.manifest.canbo_version}): "
                    f"{len(result.pending)} migrations are not applied. Run `canbo migrate` before starting the "
                    "server.",
                )
            )
        else:
            self.stdout.write(
                tr(
                    lang,
                    "Cơ sở dữ liệu khớp phiên bản này; có thể khởi động máy chủ.",
                    "The database matches this release; the server can be started.",
                )
            )
