"""``canbo serve [ADDR:PORT]``: the production server (issue 11 §1, docs/serving.md).

granian runs ``canbo.wsgi:application`` in several processes of several threads; whitenoise
serves the static files, collected first if they changed (canbo.common.staticfiles). The
background worker ``canbo worker`` runs alongside as a child process, stopped with the server
(``--no-worker`` leaves it out; a worker elsewhere, e.g. its own service, takes the jobs then).
The server refuses the published development secret key (canbo.common.serving.decide_secret_key).
``--dev`` runs Django's development server instead (reloads on code changes; for developers).
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import connections

from canbo.common import serving
from canbo.common.staticfiles import ensure_collected


class Command(BaseCommand):
    help = (
        "Chạy máy chủ canbo (granian) cùng tiến trình xử lý nền. "
        "Serve canbo with a production server and the background worker (default 127.0.0.1:8000)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="",
            help="ĐỊA_CHỈ:CỔNG, mặc định 127.0.0.1:8000 (0.0.0.0:8000: cả mạng nội bộ)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="số tiến trình web (CANBO_WEB_WORKERS; mặc định: số lõi, tối đa 4) / web processes",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="số luồng mỗi tiến trình (CANBO_WEB_THREADS; mặc định 4) / threads per process",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="không chạy tiến trình xử lý nền kèm theo / do not start the background worker",
        )
        parser.add_argument(
            "--worker-stop-timeout",
            type=float,
            default=30.0,
            help="số giây chờ việc nền đang làm xong khi dừng (30) / seconds to let the job in hand finish",
        )
        parser.add_argument(
            "--stop-timeout",
            type=int,
            default=None,
            help="số giây chờ các yêu cầu đang xử lý xong khi dừng (CANBO_WEB_STOP_SECONDS; 15) "
            "/ seconds the web processes get to finish when stopping",
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="máy chủ phát triển của Django, tự nạp lại mã (cho lập trình viên) / Django's development server",
        )
        parser.add_argument("--demo", action="store_true", help="(dùng bởi canbo demo) / used by canbo demo")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(
        self,
        *args,
        addrport,
        workers,
        threads,
        no_worker,
        worker_stop_timeout,
        stop_timeout,
        dev,
        demo,
        **options,
    ):
        try:
            host, port = serving.parse_addrport(addrport)
            decision = serving.decide_secret_key(
                key=settings.SECRET_KEY,
                source=settings.CANBO_SECRET_KEY_SOURCE,
                var_dir=settings.VAR_DIR,
                sqlite=settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
                demo=demo,
                debug=settings.DEBUG,
            )
        except serving.ServeError as e:
            self.stderr.write(str(e))
            sys.exit(2)
        if decision.note:
            self.say(decision.note)
        settings.SECRET_KEY = decision.key
        if not serving.is_loopback(host) and set(settings.ALLOWED_HOSTS) <= {"127.0.0.1", "localhost"}:
            self.say(
                "Lưu ý: CANBO_ALLOWED_HOSTS chỉ có 127.0.0.1, localhost — máy khác mở bằng tên hoặc địa chỉ "
                "của máy chủ sẽ bị từ chối; hãy đặt CANBO_ALLOWED_HOSTS=tên-máy,địa-chỉ. "
                "/ Note: only 127.0.0.1 and localhost are allowed hosts; set CANBO_ALLOWED_HOSTS."
            )
        if dev:
            self.say(
                "Máy chủ phát triển của Django (--dev); không chạy tiến trình xử lý nền. / Django's development server."
            )
            # Django's server serves the source files by their plain names (its finders know
            # no hashed name of an earlier collection); edits show at once.
            settings.STORAGES = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            call_command(
                "runserver",
                f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
                insecure_serving=True,
            )
            return
        ensure_collected(self.say)
        self.serve(host, port, workers, threads, no_worker, worker_stop_timeout, stop_timeout)

    def serve(self, host, port, workers, threads, no_worker, worker_stop_timeout, stop_timeout) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        workers = workers or serving.default_workers()
        threads = threads or serving.default_threads()
        background = None
        if no_worker:
            worker_note = "không chạy xử lý nền (--no-worker) / no background worker"
        elif "worker" not in get_commands():
            worker_note = "chưa có lệnh «canbo worker»; bỏ qua xử lý nền / no `canbo worker` command; skipped"
        else:
            background = serving.BackgroundWorker(stop_timeout=worker_stop_timeout)
            worker_note = "kèm tiến trình xử lý nền «canbo worker» / with the background worker"
        shown = f"[{host}]" if ":" in host else host
        self.say(
            f"canbo: http://{shown}:{port}/ — granian, {workers} tiến trình × {threads} luồng; {worker_note}. "
            "Nhấn Ctrl+C để dừng. / Press Ctrl+C to stop."
        )
        # The web processes are forked from this one: no database connection may cross over.
        connections.close_all()
        server = Granian(
            "canbo.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            backpressure=threads,
            websockets=False,
            respawn_failed_workers=True,
            # A web process that has not stopped by then is killed: granian's workers may miss
            # the stop signal when Ctrl+C reaches them and the main process at once.
            workers_kill_timeout=stop_timeout or serving.default_stop_timeout(),
            log_access=False,
            log_dictconfig=serving.granian_log_config(settings.CANBO_LOG_FORMAT),
        )
        if background is not None:
            server.on_startup(background.start)
            server.on_shutdown(background.stop)
        try:
            server.serve(spawn_target=serving.wsgi_worker_deaf_to_ctrl_c)
        except OSError as e:
            self.stderr.write(
                f"Không mở được {shown}:{port}: {e.strerror or e} (cổng đang được dùng?). "
                f"/ Cannot listen on {shown}:{port}: {e.strerror or e}."
            )
            sys.exit(2)
        finally:
            if background is not None:
                background.stop()
