"""`metacluster expire-requests`: mark pending meeting requests past their expiry as expired.

Pages and the API also expire due requests before they read them, so this command only keeps
the stored statuses (and the analytics of events nobody opens) current; run it hourly."""

from django.core.management.base import BaseCommand

from metacluster.events.models import MeetingRequest


class Command(BaseCommand):
    help = "Mark pending meeting requests whose time has run out as expired."

    def handle(self, *args, **options):
        count = MeetingRequest.objects.expire_due()
        self.stdout.write(f"{count} pending request(s) expired.")
