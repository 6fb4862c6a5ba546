"""`metacluster send-match-alerts`: tell the best-matching companies about new opportunities.

One digest mail per SME user per run, never the same opportunity twice; run it daily (cron).
"""

from django.core.management.base import BaseCommand

from metacluster.matchmaking.workflows import send_alerts


class Command(BaseCommand):
    help = "Mail each company's SME users one digest of new opportunities that match them."

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=5, help="companies per opportunity (5)")
        parser.add_argument(
            "--min-score", type=float, default=0.35, help="the lowest match score told (0.35)"
        )

    def handle(self, *args, **options):
        counts = send_alerts(top=options["top"], min_score=options["min_score"])
        self.stdout.write(
            "{opportunities} open opportunities, {notices} new notices, {mails} mails".format(
                **counts
            )
        )
