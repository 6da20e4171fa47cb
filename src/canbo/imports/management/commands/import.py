"""``canbo import FILE --unit CODE``: import an Excel list of commune cadres and civil servants.

Reads the workbook (.xlsx or .xls), validates every row, prints the rows per commune, every
change to the people on record (old → new, per person and field) and every problem with its
sheet, row, column and value, and — only when there is no error — writes exactly that in one
transaction. ``--dry-run`` stops after the preview. The file is kept with its SHA-256 hash,
like an upload in the admin; importing the same file again changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from canbo.access.models import Role
from canbo.core.formatting import tr
from canbo.imports import services
from canbo.imports.models import ImportBatch
from canbo.standards.management.base import StandardsCommand


class CommandLineUser:
    """Who acts when ``canbo import`` runs without ``--user``: the operator of the server,
    with the system administrator's rights (as for every management command). History
    entries then carry no user but the batch in their change reason."""

    pk = None
    is_authenticated = True
    is_active = True
    effective_role = Role.SYSTEM_ADMIN
    username = "(dòng lệnh)"


class Command(StandardsCommand):
    help = (
        "Nhập danh sách cán bộ, công chức từ tệp Excel (.xlsx, .xls): kiểm tra toàn bộ, báo lỗi theo trang, dòng, "
        "cột, số dòng theo xã và từng thay đổi so với hồ sơ (cũ → mới); chỉ ghi khi không có lỗi, tất cả hoặc "
        "không gì cả. "
        "Import an Excel list; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="TỆP", help="Tệp .xlsx hoặc .xls. The workbook.")
        parser.add_argument(
            "--unit",
            required=True,
            metavar="MÃ",
            help="Mã đơn vị có danh sách (xã, huyện cũ hoặc tỉnh). The unit the list belongs to.",
        )
        parser.add_argument(
            "--date",
            metavar="NGÀY",
            help="Danh sách tính đến ngày (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định hôm nay). "
            "The date the list is as of.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và xem trước, không ghi. Validate and preview only.",
        )
        parser.add_argument(
            "--user",
            metavar="TÊN",
            help="Tên đăng nhập của người nhập (phạm vi và lịch sử theo người này). Acting user.",
        )
        parser.add_argument("--format", choices=["table", "json"], default="table", help="Định dạng kết quả.")
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ / language (vi, en)."
        )

    def handle(self, *args, **o):
        lang = o["lang"]
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(tr(lang, f"Không tìm thấy tệp «{path}».", f"File «{path}» not found."))
        as_of = self.parse_date(o["date"], lang)
        unit = self.find_unit(o["unit"], as_of, lang)
        user = self.acting_user(o["user"], lang)
        batch = services.copy_into_batch(path, unit, as_of, user)
        preview = services.prepare(batch, user, progress=self.progress)
        result = {
            "batch": batch.pk,
            "file": batch.original_name,
            "sha256": batch.sha256,
            "counts": preview.counts(),
            "units": (batch.summary or {}).get("units", {}),
            "changes": preview.changes(),
            "problems": [services.problem_dict(p) for p in preview.problems],
        }
        if preview.previous:
            self.stderr.write(
                tr(
                    lang,
                    f"Tệp này đã được nhập lần #{preview.previous.pk} ({timezone.localtime(preview.previous.committed_at):%d/%m/%Y %H:%M}); "
                    "nhập lại không làm thay đổi gì đã ghi.",
                    f"This file was imported before (#{preview.previous.pk}); importing it again changes nothing.",
                )
            )
        committed = None
        if preview.ok and not o["dry_run"]:
            try:
                committed = services.commit(batch, preview, user, progress=self.progress)
            except services.NotCommittable as refused:
                raise CommandError(tr(lang, refused.message_vi, refused.message_en)) from None
            result["committed"] = committed
        if o["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        else:
            self.stdout.write(self.table(preview, committed, batch, lang))
        if not preview.ok:
            raise CommandError(
                tr(
                    lang,
                    f"Tệp có {len(preview.errors)} lỗi; chưa ghi gì vào hồ sơ. Sửa tệp rồi nhập lại.",
                    f"The file has {len(preview.errors)} errors; nothing was written.",
                )
            )

    def acting_user(self, username: str | None, lang: str):
        if not username:
            return CommandLineUser()
        from canbo.access.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(tr(lang, f"Không có người dùng «{username}».", f"No user «{username}»."))
        return user

    def table(self, preview, committed, batch: ImportBatch, lang: str) -> str:
        lines = [
            tr(
                lang,
                f"Lần nhập #{batch.pk}: {batch.original_name} (SHA-256 {batch.sha256[:16]}…)",
                f"Import #{batch.pk}: {batch.original_name} (SHA-256 {batch.sha256[:16]}…)",
            )
        ]
        if preview.plan is not None:
            named = services.column_labels(preview.plan) if lang == "vi" else preview.plan.columns
            cols = "; ".join(f"{k}: {v}" for k, v in named.items())
            lines.append(
                tr(
                    lang,
                    f"Trang «{preview.plan.sheet}», tiêu đề ở dòng "
                    f"{', '.join(map(str, preview.plan.header_rows))}; cột: {cols}",
                    f"Sheet «{preview.plan.sheet}», header rows "
                    f"{', '.join(map(str, preview.plan.header_rows))}; columns: {cols}",
                )
            )
        counts = preview.counts()
        for key in services.PREVIEW_COUNTS:
            lines.append(f"  {services.COUNT_LABELS[key]}: {counts[key]}")
        units = (batch.summary or {}).get("units") or {}
        if units:
            lines.append(tr(lang, "Số dòng theo xã:", "Rows per commune:"))
            lines.extend(f"  {name}: {n}" for name, n in units.items())
        changes = preview.changes()
        if changes:
            lines.append(tr(lang, "Thay đổi so với hồ sơ (cũ → mới):", "Changes to the records (old → new):"))
            for c in changes:
                held = (
                    tr(lang, " [chờ xem xét: đã sửa tay]", " [held for review: entered by hand]")
                    if c["review"]
                    else ""
                )
                old = c["old"] or "—"
                lines.append(
                    f"  {tr(lang, 'dòng', 'row')} {c['row']} {c['name']}: {c['field']}: {old} → {c['new']}{held}"
                )
        for p in preview.problems:
            kind = tr(lang, "LỖI", "ERROR") if p.severity == "error" else tr(lang, "cảnh báo", "warning")
            where = p.where()
            value = f" «{p.value}»" if p.value not in (None, "") else ""
            lines.append(
                f"{kind}: {where}{value}: {tr(lang, p.message_vi, p.message_en)}".replace(": :", ":")
            )
        if committed:
            lines.append(tr(lang, "Đã ghi vào hồ sơ:", "Written:"))
            for key in services.WRITTEN_COUNTS:
                lines.append(f"  {services.COUNT_LABELS[key]}: {committed.get(key, 0)}")
            if committed.get("held_for_review"):
                lines.append(
                    tr(
                        lang,
                        "Các dòng cần xem xét: vào trang quản trị “Dòng nhập cần xem xét” để quyết định.",
                        "Rows held for review: decide them in the admin page “rows held for review”.",
                    )
                )
        elif preview.ok:
            lines.append(
                tr(lang, "Chạy thử: chưa ghi gì (bỏ --dry-run để ghi).", "Dry run: nothing written.")
            )
        return "\n".join(lines) + "\n"
