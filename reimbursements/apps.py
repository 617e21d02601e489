from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReimbursementsConfig(AppConfig):
    name = "reimbursements"
    verbose_name = _("Reimbursement claims")

    def ready(self):
        from cpas_portal import person_file

        from .file_sections import claims_section

        person_file.register("reimbursements", claims_section)
