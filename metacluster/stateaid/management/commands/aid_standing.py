"""`metacluster aid-standing ACRONYM`: each company's aid in a programme and where its single
undertaking stands against the ceiling, as CSV (for the funder, or a spreadsheet check).

The check of one hypothetical grant against plain JSON data, without the database, is
`python -m metacluster.core.aid CHECK.json`."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Sum

from metacluster.core.aid import retention_until
from metacluster.exports import csv_writer
from metacluster.programmes.models import Programme
from metacluster.stateaid.ledger import standings
from metacluster.stateaid.models import AidRecord


class Command(BaseCommand):
    help = (
        "Print, as CSV, each company's aid in a programme and its single undertaking's "
        "standing against the state-aid ceiling."
    )

    def add_arguments(self, parser):
        parser.add_argument("acronym", help="the programme's acronym, e.g. ict-meta-cluster")
        parser.add_argument(
            "--status",
            choices=["ok", "near", "over"],
            help="only companies whose undertaking has this status",
        )

    def handle(self, *args, acronym: str, status: str | None, **options):
        programme = Programme.objects.filter(acronym=acronym).first()
        if programme is None:
            raise CommandError(f"No programme with the acronym {acronym!r}.")
        rows = (
            AidRecord.objects.filter(programme=programme)
            .values("company_id", "company__name", "company__country")
            .annotate(total=Sum("value"), last=Max("granted_on"))
            .order_by("company__name")
        )
        standing = standings([row["company_id"] for row in rows], programme)
        writer = csv_writer(self.stdout)
        writer.writerow(
            [
                "company_id",
                "company",
                "country",
                "aid_in_programme_eur",
                "last_aid",
                "keep_records_until",
                "undertaking_total_eur",
                "ceiling_eur",
                "status",
                "period_start",
                "period_end",
                "regulation",
            ]
        )
        for row in rows:
            a = standing[row["company_id"]].assessment
            if status and str(a.status) != status:
                continue
            writer.writerow(
                [
                    row["company_id"],
                    row["company__name"],
                    row["company__country"],
                    f"{row['total']:.2f}",
                    row["last"],
                    retention_until(row["last"]),
                    f"{a.total:.2f}",
                    f"{a.ceiling:.2f}",
                    a.status,
                    a.window_start or "",
                    a.window_end or "",
                    a.regulation,
                ]
            )
