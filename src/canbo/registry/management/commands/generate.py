"""``canbo generate``: synthetic, deterministic data (the demo province or the whole country)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from canbo.registry.generate import DEFAULT_SEED, AlreadyGenerated, generate


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu mô phỏng có tính tất định. Generate synthetic, deterministic data: "
        "--scale demo (Lạng Sơn, 22 xã của huyện Cao Lộc cũ, 2005 đến nay) or --scale national (10.051 xã)."
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

    def handle(self, *args, scale, seed, end, **options):
        t0 = time.perf_counter()
        try:
            counts = generate(scale, seed=seed, end=end, progress=lambda s: self.stdout.write(s))
        except AlreadyGenerated as e:
            raise CommandError(str(e)) from e
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
        self.stdout.write(f"Xong trong {time.perf_counter() - t0:.1f} giây.")
