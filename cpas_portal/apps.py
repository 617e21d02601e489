from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CpasPortalConfig(AppConfig):
    name = "cpas_portal"
    verbose_name = _("CPAS and beneficiaries")

    def ready(self):
        from celery.signals import task_postrun

        from . import due, due_cache
        from .accounts import signals  # noqa: F401  (connects the receivers)
        from .rights import rights_ending

        due.register("kernel.rights_ending", rights_ending, audiences={due.CASEWORKER})
        # A task may write anywhere: the home pages read afresh after it (cpas_portal/due_cache.py).
        task_postrun.connect(due_cache.task_ended, weak=False, dispatch_uid="cpas_portal.due_written")
        post_migrate.connect(due_cache.migrated, sender=self, weak=False, dispatch_uid="cpas_portal.due_migrated")
