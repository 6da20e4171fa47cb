"""``canbo generate``: synthetic, deterministic data (the demo province or the whole country)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from canbo.registry.generate import DEFAULT_SEED, AlreadyGenerated, generate


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu mô phỏng có tính tất định. Generate synthetic, deterministic data: "
        "--scale demo (tỉnh Lạng Sơn: 194 xã cũ của 11 huyện, 65 xã mới; 2005 đến nay) or --scale national (10.051 xã)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--end",
            type=date.fromisoformat,
            default=None,
            help="Ngày kết thúc mô phỏng (YYYY-MM-DD), mặc định hôm nay.",
        )
        parser.add_argument(
            "--district",
            action="append",
            metavar="MÃ",
            help="Chỉ sinh các xã của huyện cũ có mã này (ví dụ 183: Cao Lộc); lặp lại được.",
        )

    def handle(self, *args, scale, seed, end, district, **options):
        t0 = time.perf_counter()
        districts = {f"{int(d):03d}" if d.isdigit() else d for d in district} if district else None
        try:
            counts = generate(
                scale, seed=seed, end=end, districts=districts, progress=lambda s: self.stdout.write(s)
            )
        except (AlreadyGenerated, ValueError) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
        self.stdout.write(f"Xong trong {time.perf_counter() - t0:.1f} giây.")
