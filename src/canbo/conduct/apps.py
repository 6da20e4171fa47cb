from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "canbo.conduct"
    label = "conduct"
    verbose_name = _("Đánh giá, kiểm tra, kỷ luật")
