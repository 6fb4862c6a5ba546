"""`metacluster purge-personal-data [--dry-run]`: erase the personal data past its retention
period (settings.PERSONAL_DATA_RETENTION_DAYS). Meant to run daily from a scheduler."""

from django.core.management.base import BaseCommand

from metacluster.privacy.retention import purge


class Command(BaseCommand):
    help = (
        "Erase personal data past its retention period: contacts whose consent was withdrawn, "
        "contacts of inactive companies, inactive SME users, old audit entries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be erased"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = purge(dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        self.stdout.write(f"Personal data past retention ({verb}):")
        for kind, count in counts.items():
            self.stdout.write(f"  {kind}: {count}")
