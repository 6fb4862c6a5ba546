from django.core.management.base import BaseCommand

from metacluster.outreach.sending import send_activity_reminders


class Command(BaseCommand):
    help = "E-mail SME users whose company is registered for an activity starting within a day."

    def handle(self, *args, **options):
        sent = send_activity_reminders()
        self.stdout.write(f"{sent} reminders sent.")
