from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "metacluster.guides"
    verbose_name = _("Market guides")

    def ready(self) -> None:
        # The ranking and the comparison show, per market, the open barriers for the offering.
        from metacluster.markets import intelligence

        from .queries import open_barriers_per_market

        intelligence.register(
            "barriers",
            _("Open barriers"),
            open_barriers_per_market,
            url=lambda market: f"/guides/markets/{market}/",
            per_offering=True,
        )
