from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CpasPortalConfig(AppConfig):
    name = "cpas_portal"
    verbose_name = _("CPAS and beneficiaries")

    def ready(self):
        from . import due
        from .accounts import signals  # noqa: F401  (connects the receivers)
        from .rights import rights_ending

        due.register("kernel.rights_ending", rights_ending, audiences={due.CASEWORKER})
