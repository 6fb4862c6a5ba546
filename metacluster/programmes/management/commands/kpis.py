import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from metacluster.programmes.kpis import DefinitionError, figures
from metacluster.programmes.models import Programme


def _number(value: Decimal | None) -> int | float | None:
    """A target as JSON shows it: 120, not "120.00"."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Command(BaseCommand):
    help = "Print a programme's indicators with their targets and achieved values."

    def add_arguments(self, parser):
        parser.add_argument(
            "--programme",
            required=True,
            metavar="NAME",
            help="The programme's name or acronym (case does not matter).",
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print JSON instead of a table."
        )

    def handle(self, *args, programme: str, as_json: bool, **options):
        found = Programme.objects.filter(
            Q(name__iexact=programme) | Q(acronym__iexact=programme)
        ).first()
        if found is None:
            available = [f"{p.name} ({p.acronym})" for p in Programme.objects.order_by("name")]
            hint = (
                "Available: " + "; ".join(available) + "."
                if available
                else "There are no programmes yet; `metacluster load-demo` loads the demo."
            )
            raise CommandError(f"No programme is called {programme!r}. {hint}")
        rows = []
        for indicator in found.indicators.order_by("position", "code"):
            try:
                achieved = figures(indicator).achieved
            except DefinitionError as error:
                raise CommandError(f"{indicator.code}: {error}") from error
            rows.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "target": _number(indicator.target),
                    "achieved": achieved,
                }
            )
        if as_json:
            self.write_json(found, rows)
        else:
            self.write_table(found, rows)

    def write_json(self, programme, rows):
        data = {"programme": programme.name, "indicators": rows}
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def write_table(self, programme, rows):
        self.stdout.write(
            f"{programme.name} ({programme.acronym}), "
            f"{programme.start_date:%Y-%m-%d} – {programme.end_date:%Y-%m-%d}\n"
        )
        if not rows:
            self.stdout.write("No indicators.")
            return
        header = {"code": "Code", "name": "Indicator", "unit": "Unit"}
        header |= {"target": "Target", "achieved": "Achieved"}
        table = [header] + [
            {**row, "target": "–" if row["target"] is None else str(row["target"])} for row in rows
        ]
        widths = {key: max(len(str(row[key])) for row in table) for key in header}
        for row in table:
            self.stdout.write(
                "  ".join(
                    [
                        f"{row['code']:<{widths['code']}}",
                        f"{row['name']:<{widths['name']}}",
                        f"{row['unit']:<{widths['unit']}}",
                        f"{row['target']!s:>{widths['target']}}",
                        f"{row['achieved']!s:>{widths['achieved']}}",
                    ]
                ).rstrip()
            )
