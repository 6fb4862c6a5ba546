"""A period's indicator figures: computed live for a draft, frozen when the report is submitted.

For each indicator and period (records count on the date they first count, in UTC):

- *previously reported* — the records counted in the submitted reports of earlier periods,
  replayed: each report's records of the period, plus those added and minus those removed by its
  adjustment;
- *adjustment* — what the records say today about the earlier periods minus what was reported
  for them: records that now count before this period but were never reported (added) and
  reported ones that no longer count there (removed);
- *this period* — records that first count within the period (the first period, and an
  indicator's first report, also take any dated before it);
- *cumulative* — previously reported + adjustment + this period, which always equals the live
  figure at the period's end.

Figures are sets of records, not just counts, so an adjustment names the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.programmes.eu_indicators import eu_indicator_name
from metacluster.programmes.kpis import (
    DefinitionError,
    first_counted,
    parse_definition,
    records_with_dates,
    reporting_date,
)
from metacluster.programmes.windows import parse_window

from .models import IndicatorReport, ReportedFigure, ReportingPeriod


@dataclass
class PeriodFigure:
    """One indicator's line of a period report, live or as submitted."""

    code: str
    eu_code: str
    name: str
    unit: str
    target: Decimal | None
    previously_reported: int = 0
    adjustment: int = 0
    this_period: int = 0
    cumulative: int = 0
    record_type: str = ""
    records: list[dict] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    adjustment_reason: str = ""
    indicator_id: int | None = None
    error: str = ""
    window: str = ""  # which records the indicator counts by date (programmes.windows)
    # The indicator's name in the reader's language, for live figures only: a submitted
    # report keeps the name it was submitted with (`name`, stored in the base language).
    label: str = ""
    unit_label: str = ""

    @property
    def shown_name(self) -> str:
        return self.label or self.name

    @property
    def eu_name(self) -> str:
        return eu_indicator_name(self.eu_code)

    @property
    def evidence_count(self) -> int:
        return len(self.records) + len(self.added) + len(self.removed)

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return round(Decimal(self.cumulative) * 100 / self.target)


def evidence(obj, counted_from) -> dict:
    """What a report keeps about one record: enough to list and export it without the record."""
    company = obj if obj._meta.model_name == "company" else getattr(obj, "company", None)
    country = getattr(obj, "country", "") or getattr(obj, "market", "") or ""
    return {
        "id": obj.pk,
        "label": str(obj),
        "country": country,
        "size_class": company.size_class if company is not None else "",
        "counted_from": counted_from.isoformat(),
        "value": _value(obj),
        "partner": _partner(obj),
    }


def _value(obj) -> str:
    """The record's money value as text ("12500.00"), or "" when it has none (a company)."""
    value = getattr(obj, "value", None)
    return "" if value is None or not isinstance(value, (int, Decimal)) else str(value)


def _partner(obj) -> str:
    """The programme partner the record belongs to (a deal's partner, a delivery's provider)."""
    for name in ("partner", "provider"):
        field = next((f for f in obj._meta.fields if f.name == name), None)
        if field is not None and field.is_relation:
            partner = getattr(obj, name)
            return str(partner) if partner is not None else ""
    return ""


def _reported_so_far(period: ReportingPeriod) -> dict[int, set[int]]:
    """Record ids reported per indicator id in the submitted reports before `period`."""
    reported: dict[int, set[int]] = {}
    earlier = ReportedFigure.objects.filter(
        report__period__programme_id=period.programme_id, report__period__start__lt=period.start
    ).order_by("report__period__start")
    for figure in earlier.only("indicator_id", "records", "added", "removed"):
        if figure.indicator_id is None:
            continue
        keys = reported.setdefault(figure.indicator_id, set())
        keys |= {row["id"] for row in figure.records} | {row["id"] for row in figure.added}
        keys -= {row["id"] for row in figure.removed}
    return reported


def _is_first(period: ReportingPeriod) -> bool:
    return not ReportingPeriod.objects.filter(
        programme_id=period.programme_id, start__lt=period.start
    ).exists()


def live_figures(period: ReportingPeriod) -> list[PeriodFigure]:
    """The period's figures computed from the records now."""
    reported = _reported_so_far(period)
    first = _is_first(period)
    rows = []
    for indicator in period.programme.indicators.all():
        row = PeriodFigure(
            code=indicator.code,
            eu_code=indicator.eu_code,
            name=indicator.name,
            label=indicator.translated("name"),
            unit=indicator.unit,
            unit_label=indicator.translated("unit"),
            target=indicator.target,
            indicator_id=indicator.pk,
            window=_window(indicator),
        )
        rows.append(row)
        try:
            row.record_type = parse_definition(indicator.definition).record_label
            dates = first_counted(indicator)
        except DefinitionError as error:
            row.error = str(error)
            continue
        # An indicator reported for the first time (the first period, or one added since the
        # last report) has nothing earlier to adjust: this period takes everything up to its end.
        fresh = first or (bool(reported) and indicator.pk not in reported)
        before = {k for k, on in dates.items() if on < period.start and not fresh}
        this = {
            k: on for k, on in dates.items() if on <= period.end and (fresh or on >= period.start)
        }
        was = reported.get(indicator.pk, set())
        added, removed = before - was, was - before
        row.previously_reported = len(was)
        row.adjustment = len(added) - len(removed)
        row.this_period = len(this)
        row.cumulative = row.previously_reported + row.adjustment + row.this_period
        row.records = [evidence(o, on) for o, on in records_with_dates(indicator, this)]
        row.added = [
            evidence(o, on) for o, on in records_with_dates(indicator, {k: dates[k] for k in added})
        ]
        # A removed record may no longer exist, or no longer count at all: keep what the
        # earlier report said about it.
        row.removed = _as_reported(indicator.pk, removed, period)
    return rows


def _as_reported(indicator_id: int, keys: set[int], period: ReportingPeriod) -> list[dict]:
    if not keys:
        return []
    found: dict[int, dict] = {}
    earlier = ReportedFigure.objects.filter(
        indicator_id=indicator_id, report__period__start__lt=period.start
    ).order_by("report__period__start")
    for figure in earlier:
        for row in figure.records + figure.added:
            if row["id"] in keys:
                found[row["id"]] = row
    return sorted(found.values(), key=lambda row: (row["counted_from"], row["label"]))


def submitted_figures(report: IndicatorReport) -> list[PeriodFigure]:
    return [
        PeriodFigure(
            code=f.code,
            eu_code=f.eu_code,
            name=f.name,
            unit=f.unit,
            target=f.target,
            previously_reported=f.previously_reported,
            adjustment=f.adjustment,
            this_period=f.this_period,
            cumulative=f.cumulative,
            record_type=f.record_type,
            records=f.records,
            added=f.added,
            removed=f.removed,
            adjustment_reason=f.adjustment_reason,
            indicator_id=f.indicator_id,
            window=_window(f.indicator) if f.indicator_id else "",
        )
        for f in report.figures.select_related("indicator")
    ]


def _window(indicator) -> str:
    try:
        return parse_window(indicator.definition).describe()
    except ValueError:
        return ""


def period_figures(period: ReportingPeriod) -> list[PeriodFigure]:
    """As submitted when the period is reported; live otherwise."""
    report = IndicatorReport.objects.filter(period=period).first()
    return submitted_figures(report) if report else live_figures(period)


def blockers(period: ReportingPeriod, *, now: datetime | None = None) -> list[str]:
    """Why the period cannot be submitted now; empty when it can."""
    problems = []
    today = reporting_date(now or timezone.now())
    if period.is_submitted:
        problems.append(_("This period is already reported."))
    if period.end >= today:
        problems.append(_("The period has not ended yet."))
    unreported = ReportingPeriod.objects.filter(
        programme_id=period.programme_id, start__lt=period.start, report__isnull=True
    ).first()
    if unreported:
        problems.append(
            _("Report %(period)s first: periods are reported in order.") % {"period": unreported}
        )
    return problems


@transaction.atomic
def submit_report(
    period: ReportingPeriod,
    user,
    *,
    reasons: dict[str, str] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> IndicatorReport:
    """Freeze the period's figures as they are now. Managers of the programme only; periods in
    order; every adjustment needs a reason. Raises ValidationError (nothing saved) otherwise."""
    if user is not None and not period.programme.is_managed_by(user):
        raise PermissionDenied(_("Only the programme's managers submit its reports."))
    # Lock the period: of two managers submitting at once, the second finds it reported.
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    problems = blockers(period, now=now)
    if problems:
        raise ValidationError(problems)
    reasons = {code: text.strip() for code, text in (reasons or {}).items() if text.strip()}
    rows = live_figures(period)
    errors = {}
    for row in rows:
        if row.error:
            errors.setdefault("indicators", []).append(
                _("%(code)s cannot be computed: %(error)s") % {"code": row.code, "error": row.error}
            )
        elif row.adjustment or row.added or row.removed:
            if row.code not in reasons:
                errors.setdefault(f"reason_{row.code}", []).append(
                    _("Say why %(code)s changed for earlier periods.") % {"code": row.code}
                )
            row.adjustment_reason = reasons.get(row.code, "")
    if errors:
        raise ValidationError(errors)
    try:
        report = IndicatorReport.objects.create(
            period=period, submitted_at=now or timezone.now(), submitted_by=user, note=note
        )
    except IntegrityError:
        raise ValidationError(_("This period is already reported.")) from None
    ReportedFigure.objects.bulk_create(
        ReportedFigure(
            report=report,
            indicator_id=row.indicator_id,
            position=position,
            code=row.code,
            eu_code=row.eu_code,
            name=row.name,
            unit=row.unit,
            target=row.target,
            previously_reported=row.previously_reported,
            adjustment=row.adjustment,
            adjustment_reason=row.adjustment_reason,
            this_period=row.this_period,
            cumulative=row.cumulative,
            record_type=row.record_type,
            records=row.records,
            added=row.added,
            removed=row.removed,
        )
        for position, row in enumerate(rows)
    )
    return report


def generate_periods(programme, months: int = 6) -> list[ReportingPeriod]:
    """Replace the programme's unreported periods by periods of `months` months from its start,
    keeping the reported ones (new periods start after the last reported one)."""
    from .periods import split_into_periods

    if not 1 <= months <= 24:
        raise ValidationError({"months": _("A period lasts between 1 and 24 months.")})
    with transaction.atomic():
        Programme = type(programme)
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        reported = list(
            ReportingPeriod.objects.filter(programme=programme, report__isnull=False).order_by(
                "start"
            )
        )
        ReportingPeriod.objects.filter(programme=programme, report__isnull=True).delete()
        # After the last reported period, so that the periods stay contiguous.
        start = reported[-1].end + timedelta(days=1) if reported else programme.start_date
        spans = split_into_periods(start, programme.end_date, months)
        number = max((p.number for p in reported), default=0)
        created = []
        for start, end in spans:
            number += 1
            created.append(
                ReportingPeriod.objects.create(
                    programme=programme, number=number, start=start, end=end
                )
            )
        return reported + created
