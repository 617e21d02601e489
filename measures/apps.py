from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Employment measures")

    def ready(self):
        from cpas_portal import due, employment

        from .due import PROVIDERS
        from .providers import placements_on

        employment.register("measures.placements", placements_on)

        from cpas_portal import person_file

        from .file_sections import measures_section

        person_file.register("measures", measures_section)
        for name, provider in PROVIDERS.items():
            due.register(name, provider, audiences={due.CASEWORKER})
