import json
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from metacluster.programmes.kpis import DefinitionError, figures
from metacluster.programmes.models import Programme
from metacluster.programmes.setup_file import (
    SetupError,
    create_from_setup,
    export_setup,
    load_setup,
    templates,
)


def find_source(source: str):
    """A programme (by name or acronym), a shipped template (by its file name) or a set-up
    file; the set-up it names."""
    programme = Programme.objects.filter(Q(name__iexact=source) | Q(acronym__iexact=source)).first()
    if programme is not None:
        return load_setup(export_setup(programme))
    for slug, title, path in templates():
        if source in (slug, title, path.name):
            return load_setup(path.read_text(encoding="utf-8"))
    path = Path(source)
    if path.is_file():
        try:
            return load_setup(path.read_text(encoding="utf-8"))
        except SetupError as error:
            raise CommandError(f"{source}: {error}") from error
    names = [p.name for p in Programme.objects.order_by("name")] + [t[0] for t in templates()]
    raise CommandError(
        f"{source!r} is neither a programme, a template nor a set-up file. "
        f"Programmes and templates: {', '.join(names)}."
    )


def programme_json(programme: Programme) -> dict:
    indicators = []
    for indicator in programme.indicators.order_by("position", "code"):
        try:
            achieved = figures(indicator).achieved
        except DefinitionError as error:  # pragma: no cover - checked on import
            raise CommandError(f"{indicator.code}: {error}") from error
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "target": None if indicator.target is None else float(indicator.target),
                "definition": indicator.definition,
                "achieved": achieved,
            }
        )
    return {
        "name": programme.name,
        "acronym": programme.acronym,
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "partners": [
            {"organisation": p.organisation.name, "role": p.role}
            for p in programme.partnerships.select_related("organisation")
        ],
        "services": [
            {"provider": s.provider.name, "kind": s.kind, "name": s.name, "unit": s.unit}
            for s in programme.services.select_related("provider").order_by(
                "provider__name", "kind", "name"
            )
        ],
        "indicators": indicators,
        "target_markets": list(programme.target_markets.values_list("country", flat=True)),
    }


class Command(BaseCommand):
    help = (
        "Start a new programme from an existing programme's set-up, a shipped template or a "
        "set-up file: partners' services, indicators, instruments and rules, none of the records."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A programme's name or acronym, a template, or a file.")
        parser.add_argument("--name", required=True, help="The new programme's name.")
        parser.add_argument(
            "--acronym", default="", help="Short name for URLs (default: from the name)."
        )
        parser.add_argument(
            "--partners",
            default=None,
            metavar="ORG,...",
            help="Organisations (names or short names) instead of the source's; the first leads.",
        )
        parser.add_argument(
            "--start", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--end", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: 3 years on)"
        )
        parser.add_argument(
            "--clear-targets", action="store_true", help="Leave every target empty."
        )
        parser.add_argument(
            "--scale-targets", default=None, metavar="FACTOR", help="Multiply targets, e.g. 0.5."
        )
        parser.add_argument(
            "--no-services", action="store_true", help="Leave the catalogues empty."
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the programme as JSON."
        )

    def handle(self, *args, source, name, acronym, partners, start, end, as_json, **options):
        setup = find_source(source)
        start = start or date.today()
        end = end or start + timedelta(days=3 * 365)
        scale = None
        if options["scale_targets"] is not None:
            try:
                scale = Decimal(options["scale_targets"])
            except InvalidOperation as error:
                raise CommandError("--scale-targets must be a number, e.g. 0.5.") from error
            if not scale.is_finite() or scale < 0:
                raise CommandError("--scale-targets must be zero or more.")
        names = [n.strip() for n in partners.split(",") if n.strip()] if partners else None
        try:
            programme = create_from_setup(
                setup,
                name=name,
                acronym=acronym,
                start=start,
                end=end,
                partners=names,
                targets="clear" if options["clear_targets"] else "keep",
                scale=scale,
                services=not options["no_services"],
            )
        except SetupError as error:
            raise CommandError(str(error)) from error
        data = programme_json(programme)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"Created {programme.name} ({programme.acronym}) with {len(data['partners'])} "
                f"partners, {len(data['services'])} services and "
                f"{len(data['indicators'])} indicators."
            )
