from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "measures.activation"
    label = "activation"
    verbose_name = _("Social activation")

    def ready(self):
        from cpas_portal import due

        from .due import activation_due

        due.register("activation", activation_due, audiences={due.MANAGER})
