from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestbedsConfig(AppConfig):
    name = "metacluster.testbeds"
    verbose_name = _("Testbeds")
