"""``canbo serve``: serve canbo on the intranet (Django's server, static files included)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ canbo. Serve canbo (default http://127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command("runserver", addrport, use_reloader=False, insecure_serving=True, use_threading=True)
