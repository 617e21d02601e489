from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReimbursementsConfig(AppConfig):
    name = "reimbursements"
    verbose_name = _("Reimbursement claims")

    def ready(self):
        from cpas_portal import person_file

        from .file_sections import claims_section

        person_file.register("reimbursements", claims_section)
        from cpas_portal import due

        from .due import PROVIDERS

        for name, (provider, audiences) in PROVIDERS.items():
            due.register(name, provider, audiences=audiences)
