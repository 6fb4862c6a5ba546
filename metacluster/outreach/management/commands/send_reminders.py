from django.core.management.base import BaseCommand

from metacluster.outreach.reminders import send_all_reminders


class Command(BaseCommand):
    help = (
        "E-mail the automatic reminders due now (activity or meeting tomorrow, assessment "
        "unfinished, service request overdue, report due), each once."
    )

    def handle(self, *args, **options):
        sent = send_all_reminders()
        for kind, count in sent.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"{sum(sent.values())} reminders sent.")
