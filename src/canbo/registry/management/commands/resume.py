"""``canbo resume``: the résumé of a person — "Sơ yếu lý lịch cán bộ, công chức", Mẫu 2C-BNV/2008
(Quyết định 02/2008/QĐ-BNV) — as a Word document or PDF.

    canbo resume --person 123 --format docx --output so-yeu-ly-lich.docx
    canbo resume --person 123 --format pdf --output so-yeu-ly-lich.pdf --user lan

With ``--user`` the résumé is printed as that user may print it (only a person whose file their
scope keeps; the sensitive parts they may not see are left out); without it, as the server's
operator. Every print is recorded in the log of reading (canbo.access.FileAccess), a refused one
too.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from canbo.access.models import FileAccess
from canbo.core.formatting import fmt_date
from canbo.core.resume.docx import docx_bytes
from canbo.core.resume.pdf import pdf_bytes
from canbo.registry import resume
from canbo.registry.models import Person

#: The name the log records for a print from the command line without ``--user``.
OPERATOR = "(dòng lệnh)"


class Command(BaseCommand):
    help = (
        "In sơ yếu lý lịch (Mẫu 2C-BNV/2008) của một người ra tệp Word (docx) hoặc PDF. "
        "The résumé (form 2C) of a person as docx or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, type=int, metavar="SỐ", help="Mã hồ sơ. Person id.")
        parser.add_argument(
            "--format", choices=["docx", "pdf"], default="pdf", help="Định dạng: docx hoặc pdf (mặc định)."
        )
        parser.add_argument("--output", required=True, metavar="TỆP", help="Tệp kết quả. Output file.")
        parser.add_argument(
            "--user", metavar="TÊN", help="In với quyền của người dùng này. Print as this user."
        )

    def handle(self, *args, **opts):
        person = Person.objects.select_related("managing_unit").filter(pk=opts["person"]).first()
        user = None
        if opts.get("user"):
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng “{opts['user']}”.")
        username = user.get_username() if user is not None else OPERATOR
        if person is None:
            raise CommandError(f"Không có hồ sơ số {opts['person']}.")
        if user is not None and not resume.may_print(user, person):
            FileAccess.objects.create(
                user=user,
                username=username,
                action=FileAccess.Action.REFUSED,
                person=person,
                what=f"Sơ yếu lý lịch Mẫu 2C ({opts['format']}) từ dòng lệnh: ngoài phạm vi",
            )
            raise CommandError(f"Hồ sơ số {person.pk} ngoài phạm vi của {username}; không in.")
        output = Path(opts["output"])
        if output.parent and not output.parent.exists():
            raise CommandError(f"Thư mục {output.parent} không tồn tại.")
        now = timezone.localtime()
        data = resume.build(
            person, user, printed_by=f"In từ canbo bởi {username} lúc {fmt_date(now.date())} {now:%H:%M}"
        )
        body = docx_bytes(data) if opts["format"] == "docx" else pdf_bytes(data)
        output.write_bytes(body)
        FileAccess.objects.create(
            user=user,
            username=username,
            action=FileAccess.Action.PRINT,
            person=person,
            what=f"Sơ yếu lý lịch Mẫu 2C ({opts['format']}) từ dòng lệnh",
        )
        self.stdout.write(f"Đã in sơ yếu lý lịch của {person.full_name} vào {output} ({len(body):,} byte).")
