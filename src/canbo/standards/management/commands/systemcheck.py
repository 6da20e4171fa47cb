"""``canbo systemcheck``: Django's own ``check`` command (the system check framework), which
``canbo check`` — the standards check — takes the name of."""

from django.core.management.commands.check import Command as DjangoCheck


class Command(DjangoCheck):
    help = (
        "Kiểm tra cấu hình hệ thống (lệnh check của Django; “canbo check” là kiểm tra tiêu chuẩn cán bộ). "
        "Django's system check framework (Django's own `check`, renamed because `canbo check` checks the standards)."
    )
