from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "metacluster.jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # The Celery app, so that tasks sent from this process go to the configured broker
        # (or run here when there is none: see metacluster/celery.py).
        from metacluster import celery  # noqa: F401
