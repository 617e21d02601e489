from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CpasPortalConfig(AppConfig):
    name = "cpas_portal"
    verbose_name = _("CPAS and beneficiaries")

    def ready(self):
        from .accounts import signals  # noqa: F401  (connects the receivers)
