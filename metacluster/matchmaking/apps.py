from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "metacluster.matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        # Show this app's records per market beside the market ranking's public figures.
        from . import intelligence

        intelligence.register()
