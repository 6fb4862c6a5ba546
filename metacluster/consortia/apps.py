from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsortiaConfig(AppConfig):
    name = "metacluster.consortia"
    verbose_name = _("Consortia")
