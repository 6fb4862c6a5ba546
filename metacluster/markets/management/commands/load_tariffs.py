"""`metacluster load-tariffs FILE [--source "WITS TRAINS, 2024 download"] [--replace]`.

Stores applied tariffs from a WITS/TRAINS-like CSV (reporter, product, year, tariff, source;
see `metacluster.core.markets.tariffs`) so that the goods ranking weighs them. No tariff data
ships with the project; docs/MARKETS.md says where to get it. Bad input exits with status 2
and stores nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.markets.tariffs import TariffFileError, read_tariffs
from metacluster.markets.workflows import load_tariffs


class Command(BaseCommand):
    help = "Load applied tariffs per market (and HS2/HS6 product) for the goods ranking."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV: reporter,product,year,tariff[,source]")
        parser.add_argument("--source", help="source of rows that name none (default: the file)")
        parser.add_argument(
            "--replace", action="store_true", help="remove every stored tariff first"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}", returncode=2) from None
        try:
            rates = read_tariffs(text, default_source=options["source"] or path.name)
        except TariffFileError as error:
            raise CommandError(str(error), returncode=2) from None
        stored, unknown = load_tariffs(rates, replace=options["replace"])
        self.stdout.write(f"{stored} tariffs stored")
        if unknown:
            self.stdout.write(f"skipped, not ISO 3166 countries: {', '.join(unknown)}")
