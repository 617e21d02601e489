from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PiisConfig(AppConfig):
    name = "measures.piis"
    label = "piis"
    verbose_name = _("Individualised social-integration projects (PIIS)")
