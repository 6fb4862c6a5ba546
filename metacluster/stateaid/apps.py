from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StateaidConfig(AppConfig):
    name = "metacluster.stateaid"
    verbose_name = _("State aid")
