"""``canbo load_reference``: load administrative units and titles from their sources."""

from django.core.management.base import BaseCommand

from canbo.registry.reference import load_reference


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (vietnam-provinces) và chức danh. Load administrative units and titles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", type=int, action="append", help="Chỉ nạp tỉnh cũ có mã này (có thể lặp lại)."
        )

    def handle(self, *args, province=None, **options):
        counts = load_reference(set(province) if province else None)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
