from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuccessionConfig(AppConfig):
    name = "canbo.succession"
    label = "succession"
    verbose_name = _("Quy hoạch cán bộ")
