"""`metacluster load-trade FILE --name "BACI 2022" --source "CEPII BACI HS17 V202401b"`.

Converts a bilateral trade file in the CEPII BACI layout (CSV columns t,i,j,k,v,q, or Parquet)
once into a trade store under TRADE_DATA_DIR and registers it as a dataset for the export
potential page and API. A full BACI year (~11 million rows) takes about half a minute; every
export potential afterwards reads only the product's rows. Bad input exits with status 2.
--background enqueues the load for the worker (REDIS_URL; the file must be readable there)
and prints the job id (`GET /api/v1/jobs/{id}`).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from metacluster.core.markets.potential import TradeFileError
from metacluster.markets.workflows import load_trade


class Command(BaseCommand):
    help = "Load a BACI-layout trade file as a dataset for export potentials."

    def add_arguments(self, parser):
        parser.add_argument("file", help="BACI-layout CSV or Parquet file")
        parser.add_argument("--name", required=True, help="a unique name, e.g. 'BACI HS17 2022'")
        parser.add_argument(
            "--source",
            required=True,
            help="where the data come from and under which terms, e.g. 'CEPII BACI HS17 V202401b'",
        )
        parser.add_argument(
            "--background", action="store_true", help="enqueue for the worker, print the job id"
        )

    def handle(self, *args, **options):
        if options["background"]:
            from metacluster.jobs import tasks
            from metacluster.jobs.running import queue_enabled

            if not queue_enabled():
                raise CommandError("--background needs REDIS_URL and `metacluster worker`")
            job = tasks.start_job(
                tasks.load_trade,
                title=f"Load trade data: {options['name']}",
                params={
                    "path": str(Path(options["file"]).resolve()),
                    "name": options["name"],
                    "source": options["source"],
                    "file_name": Path(options["file"]).name,
                },
            )
            self.stdout.write(str(job.pk))
            return
        try:
            dataset = load_trade(options["file"], name=options["name"], source=options["source"])
        except TradeFileError as error:
            raise CommandError(str(error), returncode=2) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        years = ", ".join(str(y) for y in dataset.years)
        self.stdout.write(
            f"{dataset.name}: {dataset.rows} rows, years {years}, {dataset.exporters} exporters, "
            f"{dataset.products} products (dataset {dataset.pk})"
        )
