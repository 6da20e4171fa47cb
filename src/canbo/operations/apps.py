from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running canbo for real: backup and restore (no models of its own)."""

    name = "canbo.operations"
    label = "operations"
    verbose_name = _("Vận hành")
