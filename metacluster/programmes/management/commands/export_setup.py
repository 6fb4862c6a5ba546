from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from metacluster.programmes.models import Programme
from metacluster.programmes.setup_file import dumps, export_setup


class Command(BaseCommand):
    help = "Write a programme's set-up file (JSON, see docs/PROGRAMME_SETUP.md)."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="The programme's name or acronym.")
        parser.add_argument("--output", default="-", help="File to write; - for standard output.")

    def handle(self, *args, programme, output, **options):
        found = Programme.objects.filter(
            Q(name__iexact=programme) | Q(acronym__iexact=programme)
        ).first()
        if found is None:
            raise CommandError(f"No programme is called {programme!r}.")
        text = dumps(export_setup(found))
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
