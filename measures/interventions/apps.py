from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "measures.interventions"
    label = "interventions"
    verbose_name = _("Financial interventions (Activa, intérim d'insertion, PTP, SINE)")

    def ready(self):
        from cpas_portal import due, employment, person_file

        from .due import interventions_due
        from .file_sections import interventions_section
        from .providers import hires_on

        employment.register("interventions.hires", hires_on)
        due.register("interventions", interventions_due, audiences={due.CASEWORKER})
        person_file.register("interventions", interventions_section)
