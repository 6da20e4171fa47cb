from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "canbo.standards"
    label = "standards"
    verbose_name = _("Tiêu chuẩn cán bộ, công chức")

    def ready(self) -> None:
        # The system does not start on broken rule files (docs/rules.md): the loader's
        # RuleFileError, listing file:line: problem for each, becomes ImproperlyConfigured.
        from .rules_cache import national_rules

        national_rules()
