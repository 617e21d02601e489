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
        for name, provider in PROVIDERS.items():
            due.register(name, provider, audiences={due.CASEWORKER})
