"""metacluster period-report PROGRAMME PERIOD --format xlsx|pdf|csv --output FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metacluster.programmes.models import Programme
from metacluster.reporting import exports
from metacluster.reporting.models import ReportingPeriod


class Command(BaseCommand):
    help = (
        "Write a programme's indicator report for one reporting period: XLSX or PDF in the "
        "layout of the funder's system, or CSV of the records behind the figures. A submitted "
        "period gives its frozen figures; an unsubmitted one today's draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="the programme's acronym, e.g. ict-meta-cluster")
        parser.add_argument("period", type=int, help="the period's number, from 1")
        parser.add_argument("--format", choices=exports.FORMATS, default="xlsx")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, programme, period, format, output, **options):
        found = Programme.objects.filter(acronym=programme).first()
        if found is None:
            raise CommandError(f"No programme with the acronym {programme!r}.")
        reporting_period = (
            ReportingPeriod.objects.select_related("programme").filter(
                programme=found, number=period
            )
        ).first()
        if reporting_period is None:
            numbers = list(found.reporting_periods.values_list("number", flat=True))
            raise CommandError(
                f"{found.name} has no period {period}; its periods are {numbers or 'none yet'}."
            )
        content, _type, _name = exports.render(reporting_period, format)
        Path(output).write_bytes(content)
        state = "submitted" if reporting_period.is_submitted else "draft"
        self.stdout.write(f"Wrote {output}: {reporting_period} ({state}), {len(content)} bytes.")
