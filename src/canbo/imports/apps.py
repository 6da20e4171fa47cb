from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "canbo.imports"
    verbose_name = _("Nhập danh sách từ Excel")
