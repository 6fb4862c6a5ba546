from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _restore_search_index(sender, using, **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: put back those of
    the search index (companies/fulltext.py)."""
    from django.db import connections

    from . import fulltext

    fulltext.ensure_index(connections[using])


class CompaniesConfig(AppConfig):
    name = "metacluster.companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        post_migrate.connect(_restore_search_index, sender=self)
