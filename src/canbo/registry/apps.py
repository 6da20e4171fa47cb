from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "canbo.registry"
    label = "registry"
    verbose_name = _("Hồ sơ cán bộ, công chức")
