"""`metacluster export-potential --trade FILE --exporter SWE --product 851712 --json`.

ITC-style supply, demand, ease of trade, potential and untapped potential per market from trade
in the CEPII BACI layout (t,i,j,k,v,q). A thin wrapper over `metacluster.core.markets.cli`; bad
input exits with status 2.
"""

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.markets.cli import InputError, add_potential_arguments, run_potential


class Command(BaseCommand):
    help = "Export potential per market of one exporter and HS6 product from BACI-layout trade."

    def add_arguments(self, parser):
        add_potential_arguments(parser)

    def handle(self, *args, **options):
        try:
            run_potential(options, stdout=self.stdout)
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
