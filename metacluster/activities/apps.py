from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "metacluster.activities"
    verbose_name = _("Trainings and missions")
