"""``canbo demo``: the one-command demonstration.

Creates ``var/canbo.sqlite3`` (or uses ``DATABASE_URL``), migrates, loads the
reference data and the demo province (Lạng Sơn: every commune of its 11 former
districts and, from 1/7/2025, its 65 new communes, 2005 to today — synthetic people; the
story of STORY.md is the former Cao Lộc district's), creates one demo user per role and prints their credentials,
then serves on http://127.0.0.1:8000 with the production server of ``canbo serve``.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from canbo.access.models import Role, User
from canbo.registry.generate import DEMO_DISTRICT, DEMO_PROVINCE, generate
from canbo.registry.models import Person, Unit
from canbo.registry.reference import LEGACY_END, REFORM_DATE, load_reference

#: (username, password, role, how to find the scope unit, description)
DEMO_USERS = [
    ("admin", "canbo-admin-demo", Role.SYSTEM_ADMIN, None, "Quản trị hệ thống"),
    (
        "sonoivu",
        "canbo-tinh-demo",
        Role.PROVINCE_OFFICER,
        ("province", f"{DEMO_PROVINCE:02d}", "new"),
        "Sở Nội vụ tỉnh Lạng Sơn (toàn tỉnh, cả trước và sau sắp xếp)",
    ),
    (
        "caoloc",
        "canbo-huyen-demo",
        Role.UNIT_OFFICER,
        ("district", DEMO_DISTRICT, "legacy"),
        "Phòng Nội vụ huyện Cao Lộc (22 xã, đến 30/06/2025)",
    ),
    (
        "dongdang",
        "canbo-xa-demo",
        Role.UNIT_OFFICER,
        ("commune_level", "06184", "new"),
        "UBND xã Đồng Đăng (xã mới từ 01/07/2025 và các xã cũ nhập vào)",
    ),
    (
        "thanhtra",
        "canbo-thanhtra-demo",
        Role.INSPECTOR,
        ("province", f"{DEMO_PROVINCE:02d}", "new"),
        "Thanh tra tỉnh (chỉ xem)",
    ),
]


def scope_unit(level: str, code: str, era: str) -> Unit:
    qs = Unit.objects.filter(level=level, code=code)
    return qs.get(valid_from=REFORM_DATE) if era == "new" else qs.get(valid_to=LEGACY_END)


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str, str]]:
    rows = []
    for username, password, role, where, description in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        # The admin is the system administrator's tool; officers work in the web application.
        user.is_staff = role == Role.SYSTEM_ADMIN
        user.must_change_password = False
        user.is_superuser = role == Role.SYSTEM_ADMIN
        user.scope_unit = scope_unit(*where) if where else None
        user.set_password(password)
        user.save()
        rows.append((username, password, str(Role(role).label), description))
    return rows


class Command(BaseCommand):
    help = "Chạy bản trình diễn: tạo CSDL, nạp tỉnh mẫu, tạo người dùng mẫu và mở http://127.0.0.1:8000. Start the demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Chuẩn bị dữ liệu rồi dừng, không chạy máy chủ."
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve, addrport, **options):
        db = settings.DATABASES["default"]
        self.stdout.write(f"Cơ sở dữ liệu: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        if not Person.objects.exists():
            self.stdout.write(
                "Sinh dữ liệu mô phỏng của tỉnh mẫu (Lạng Sơn: 194 xã cũ, 65 xã mới, 2005 đến nay)…"
            )
            counts = generate("demo", progress=lambda s: self.stdout.write("  " + s))
            self.stdout.write("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        else:
            self.stdout.write("Dữ liệu đã có sẵn; giữ nguyên.")
            load_reference()  # idempotent: adds titles or units a newer release ships (generate loads them itself)
        from canbo.standards.demo import ensure_demo_decisions

        created = ensure_demo_decisions(f"{DEMO_PROVINCE:02d}")
        if created:
            self.stdout.write(
                f"  {created} quyết định mô phỏng của tỉnh (ngoại lệ vùng khó khăn, số lượng cán bộ xã)"
            )
        users = ensure_demo_users()
        self.stdout.write("\nNgười dùng mẫu (demo users):")
        for username, password, role, description in users:
            self.stdout.write(f"  {username:<10} {password:<22} {role} — {description}")
        if no_serve:
            return
        self.stdout.write("")
        # The same production server as `canbo serve`, with a random secret key of its own
        # (var/secret_key) instead of the published one.
        call_command("serve", addrport, demo=True)
