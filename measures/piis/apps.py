from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PiisConfig(AppConfig):
    name = "measures.piis"
    label = "piis"
    verbose_name = _("Individualised social-integration projects (PIIS)")

    def ready(self):
        from cpas_portal import due, person_file

        from . import due as piis_due
        from .file_sections import piis_section

        due.register("piis.conclude", piis_due.piis_to_conclude, audiences={due.CASEWORKER})
        due.register("piis.evaluations", piis_due.evaluations_due, audiences={due.CASEWORKER})
        due.register("piis.yearly_evaluations", piis_due.yearly_evaluations_short, audiences={due.CASEWORKER})
        person_file.register("piis", piis_section)
