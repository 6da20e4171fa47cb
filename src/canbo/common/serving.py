"""What ``canbo serve`` is made of (issue 11 §1), apart from the command itself
(canbo.registry.management.commands.serve): the address to listen on, the number of processes
and threads, the secret-key rule, the log set-up of granian, and the background worker started
alongside the web server.
"""

from __future__ import annotations

import contextlib
import ctypes
import ipaddress
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from canbo.common import secret

logger = logging.getLogger("canbo.serve")

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8000


class ServeError(Exception):
    """A reason not to start, said to the operator (Vietnamese, then English); exit status 2."""


def parse_addrport(text: str | None) -> tuple[str, int]:
    """``"8000"``, ``"0.0.0.0:8000"``, ``"[::]:8000"``, ``"localhost:8000"`` or nothing."""
    text = (text or "").strip()
    if not text:
        return DEFAULT_ADDRESS, DEFAULT_PORT
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "", text
    host = host.strip("[]") or DEFAULT_ADDRESS
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ServeError(
            f"Địa chỉ không hợp lệ: «{text}»; hãy viết ĐỊA_CHỈ:CỔNG, ví dụ 0.0.0.0:8000. "
            f"/ Not an address: {text!r}; write ADDRESS:PORT, e.g. 0.0.0.0:8000."
        )
    return host, int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """One process per processor, at most 4 (``CANBO_WEB_WORKERS`` sets it): Python runs one
    thread of a process at a time, so processes use the cores; each keeps its own cache of the
    dashboard's figures, so more than a few cost more than they bring."""
    return int(os.environ.get("CANBO_WEB_WORKERS") or min(max(cpus(), 1), 4))


def default_threads() -> int:
    """Threads per process (``CANBO_WEB_THREADS``, 4 by default): while one request waits on
    the database or a file, others go on. 2 processes × 4 threads serve 8 requests at once;
    further ones wait in the queue."""
    return int(os.environ.get("CANBO_WEB_THREADS") or 4)


def default_stop_timeout() -> int:
    """Seconds a web process gets to finish its requests when the server stops
    (``CANBO_WEB_STOP_SECONDS``, 15): pages take well under a second, long work is a job."""
    return int(os.environ.get("CANBO_WEB_STOP_SECONDS") or 15)


# --------------------------------------------------------------------------- the secret key


@dataclass(frozen=True)
class KeyDecision:
    key: str
    note: str  # a line for the operator, or ""


REFUSAL = (
    "canbo serve không khởi động: {why_vi}. Hãy đặt biến môi trường CANBO_SECRET_KEY là một chuỗi "
    "ngẫu nhiên dài ít nhất 50 ký tự, giống nhau trên mọi máy chủ ứng dụng, ví dụ tạo bằng\n"
    '    python3 -c "import secrets; print(secrets.token_urlsafe(64))"\n'
    "(chỉ khi thử nghiệm: CANBO_DEBUG=1).\n"
    "canbo serve will not start: {why_en}. Set the environment variable CANBO_SECRET_KEY to a "
    "random string of at least 50 characters, the same on every application server (see the "
    "command above; for a trial only: CANBO_DEBUG=1)."
)


def decide_secret_key(
    *, key: str, source: str, var_dir: Path, sqlite: bool, demo: bool, debug: bool
) -> KeyDecision:
    """The rule of docs/serving.md: a key set in the environment must be strong; without one,
    the embedded SQLite installation and the demo get a random key of their own in
    ``var/secret_key``; PostgreSQL (possibly several servers, which must share one key) must be
    given ``CANBO_SECRET_KEY``. The published development key is refused unless
    ``CANBO_DEBUG=1`` (or in the demo, which replaces it)."""
    if source == "development":
        if sqlite or demo:
            new_key, written = secret.ensure_file(var_dir)
            note = (
                f"Đã tạo khóa bí mật ngẫu nhiên trong {var_dir / secret.FILE_NAME} (chỉ chủ sở hữu đọc được). "
                f"/ Generated a random secret key in {var_dir / secret.FILE_NAME}."
                if written
                else ""
            )
            return KeyDecision(new_key, note)
        if debug:
            return KeyDecision(
                key,
                "CẢNH BÁO: đang dùng khóa bí mật phát triển (CANBO_DEBUG=1). / WARNING: development secret key.",
            )
        raise ServeError(
            REFUSAL.format(
                why_vi="chưa đặt khóa bí mật (CANBO_SECRET_KEY) cho cơ sở dữ liệu PostgreSQL",
                why_en="no secret key (CANBO_SECRET_KEY) is set for the PostgreSQL database",
            )
        )
    if secret.is_weak(key):
        if debug or demo:
            return KeyDecision(
                key, "CẢNH BÁO: khóa bí mật yếu hoặc là khóa mặc định. / WARNING: weak or default secret key."
            )
        where = "CANBO_SECRET_KEY" if source == "env" else str(var_dir / secret.FILE_NAME)
        raise ServeError(
            REFUSAL.format(
                why_vi=f"khóa bí mật ({where}) là khóa mặc định công khai hoặc quá ngắn, quá đơn giản",
                why_en=f"the secret key ({where}) is the published default or too short or simple",
            )
        )
    return KeyDecision(key, "")


# --------------------------------------------------------------------------- granian's own logs


def granian_log_config(log_format: str) -> dict:
    """granian's messages (start, workers, shutdown) in canbo's log format, on stderr. Its
    access log stays off: canbo writes its own line per request (canbo.common.logs)."""
    formatter = "JsonFormatter" if log_format == "json" else "TextFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "canbo.common.logs.RequestContextFilter"}},
        "formatters": {"canbo": {"()": f"canbo.common.logs.{formatter}"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "canbo", "filters": ["request"]},
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }


def die_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def wsgi_worker_deaf_to_ctrl_c(*args, **kwargs):
    """granian's WSGI worker process, listening for SIGTERM only. A Ctrl+C in the terminal
    reaches every process of the group; a worker then also gets the main process's SIGTERM an
    instant later, and granian 2.8's worker may miss both and hang (the main process would wait
    for it until ``workers_kill_timeout``). Deaf to SIGINT, the worker stops at the main
    process's SIGTERM, once — or when the main process dies (:func:`die_with_parent`)."""
    import granian._signals
    from granian.server.mp import MPServer

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    granian._signals._get_signals = lambda: [signal.SIGTERM]
    return MPServer._spawn_wsgi_worker(*args, **kwargs)


# --------------------------------------------------------------------------- the background worker

#: Runs the command after it so that it receives SIGTERM if ``canbo serve`` dies without
#: stopping it (Linux's parent-death signal, kept across exec): no worker is left behind.
_LAUNCHER = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)\n"
    "except Exception:\n"
    "    pass\n"
    "os.execv(sys.argv[1], sys.argv[1:])\n"
)
#: ``canbo worker``, by the interpreter running ``canbo serve``.
WORKER_COMMAND = (sys.executable, "-m", "canbo.cli", "worker")


class BackgroundWorker:
    """``canbo worker`` as a child process of ``canbo serve``: started with the server, started
    again (after a pause) if it stops on its own, stopped with the server.

    The child runs in its own process group, so a Ctrl+C in the terminal reaches the server only;
    :meth:`stop` then sends the worker one SIGTERM — it finishes the job in hand and stops — and
    waits up to ``stop_timeout`` seconds before a second SIGTERM (the job is abandoned; the
    jobs' own rules leave nothing half-written) and, at last, SIGKILL.
    """

    RESTART_PAUSE = 5.0
    #: Stopping this many times in a row within a minute of starting: given up.
    CRASH_LIMIT = 5

    def __init__(self, stop_timeout: float = 30.0, command: tuple[str, ...] = WORKER_COMMAND):
        self.stop_timeout = stop_timeout
        self.command = command
        self.proc: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="canbo-worker-watch", daemon=True)
        self._watcher.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER, *self.command],
                start_new_session=True,
                stdin=subprocess.DEVNULL,
            )

    def _watch(self) -> None:
        crashes = 0
        while not self._stopping.is_set():
            proc = self.proc
            if proc is None:
                return
            started = time.monotonic()
            code = proc.wait()
            if self._stopping.is_set():
                return
            crashes = crashes + 1 if time.monotonic() - started < 60 else 1
            if crashes >= self.CRASH_LIMIT:
                logger.error(
                    "Tiến trình xử lý nền dừng liên tục (mã %s); không khởi động lại nữa. "
                    "/ The background worker keeps stopping (status %s); not restarted again.",
                    code,
                    code,
                )
                return
            logger.warning(
                "Tiến trình xử lý nền đã dừng (mã %s); khởi động lại sau %.0f giây. "
                "/ The background worker stopped (status %s); restarting in %.0f s.",
                code,
                self.RESTART_PAUSE,
                code,
                self.RESTART_PAUSE,
            )
            if self._stopping.wait(self.RESTART_PAUSE):
                return
            self._spawn()

    def stop(self) -> int | None:
        """Stop the worker (see the class docstring); its exit status."""
        with self._lock:
            self._stopping.set()
            proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                logger.warning(
                    "Tiến trình xử lý nền chưa dừng sau %.0f giây; dừng hẳn. / The worker did not stop in %.0f s; forcing it.",
                    self.stop_timeout,
                    self.stop_timeout,
                )
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        return proc.returncode
