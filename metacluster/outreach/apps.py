from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "metacluster.outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        # Register the Celery tasks with the worker (which autodiscovers only some apps);
        # without Celery installed the UI sends in the request instead (views._enqueue).
        try:
            from . import tasks  # noqa: F401
        except ImportError:
            pass
