from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = _("Partnership conventions")

    def ready(self):
        from cpas_portal import person_file

        from .file_sections import conventions_section

        person_file.register("conventions", conventions_section)
        from cpas_portal import due

        from .due import partner_claims_awaited

        due.register("conventions.partner_claims", partner_claims_awaited, audiences={due.CASEWORKER})
