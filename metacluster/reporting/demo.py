"""Demo records of funder reporting, added to the demo programmes by `metacluster load-demo`.

Every demo programme gets half-year reporting periods from its start and EU common indicator
codes on the indicators that match one. The first periods are submitted a few weeks after they
ended; in ICT Meta Cluster one coaching delivery was first recorded with a wrong date (in
period 2) and corrected after period 1 was reported, so period 2 carries it as an adjustment
with the reason. The correction restores the delivery's real date: the demo's figures stay
those the programmes reported.
"""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Count, Min

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.programmes.models import Indicator
from metacluster.services.models import Delivery

from .figures import generate_periods, submit_report
from .models import ReportingPeriod

# The EU common indicator each demo indicator is reported as (Regulation (EU) 2021/1058).
EU_CODES = {
    "ict-meta-cluster": {"SME-SUPPORTED": "RCO01", "SME-NONFIN": "RCO04"},
    "sme2go": {"SME-SUPPORTED": "RCO01", "CONSORTIUM-MEMBERS": "RCO87"},
    "4smartgrowth": {"MATCHMAKING-SMES": "RCO04", "EXPORT-MISSION-SMES": "RCO81"},
}
# How many of each programme's first periods are submitted.
SUBMITTED = {"ict-meta-cluster": 2, "sme2go": 2, "4smartgrowth": 1}
MONTHS = 6


def _manager(programme):
    lead = programme.lead
    return User.objects.filter(organisation=lead, role=Role.MANAGER).order_by("pk").first()


def _submitted_at(period) -> datetime:
    return datetime.combine(period.end + timedelta(days=24), time(10, 0), tzinfo=UTC)


def _misdated_delivery(programme, period):
    """A delivery that is its company's only one in `period` and its first in the programme:
    recorded in the wrong period, it would have been missing from that period's report."""
    deliveries = Delivery.objects.in_programme(programme)
    firsts = (
        deliveries.values("company_id")
        .annotate(first=Min("date"), n=Count("pk"))
        .filter(first__gte=period.start, first__lte=period.end)
    )
    for row in firsts.order_by("first", "company_id"):
        in_period = deliveries.filter(
            company_id=row["company_id"], date__gte=period.start, date__lte=period.end
        )
        if in_period.count() == 1:
            return in_period.get()
    return None


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    periods = reports = 0
    for acronym, programme in programmes.items():
        for code, eu_code in EU_CODES.get(acronym, {}).items():
            Indicator.objects.filter(programme=programme, code=code).update(eu_code=eu_code)
        created = generate_periods(programme, MONTHS)
        for period in created:
            period.due_on = period.end + timedelta(days=90)
            period.save(update_fields=["due_on"])
        periods += len(created)
        manager = _manager(programme)
        to_submit = created[: SUBMITTED.get(acronym, 0)]
        correction = None
        if acronym == "ict-meta-cluster" and len(to_submit) >= 2:
            correction = _misdated_delivery(programme, to_submit[0])
        for number, period in enumerate(to_submit, start=1):
            reasons = {}
            if correction is not None and number == 1:
                # Recorded with a date in period 2 when period 1 was reported...
                real_date = correction.date
                Delivery.objects.filter(pk=correction.pk).update(date=to_submit[1].start)
            if correction is not None and number == 2:
                reasons = {
                    "SME-NONFIN": (
                        f"{correction.service.name} for {correction.company.name} on "
                        f"{real_date.isoformat()} was first recorded with a date in period 2; "
                        "corrected after the period 1 report."
                    )
                }
            submit_report(
                period,
                manager,
                reasons=reasons,
                note=f"Progress report {number}, submitted through Jems.",
                now=_submitted_at(period),
            )
            if correction is not None and number == 1:
                # ...and corrected afterwards.
                Delivery.objects.filter(pk=correction.pk).update(date=real_date)
            reports += 1
    return {"reporting periods": periods, "indicator reports": reports}


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    ReportingPeriod.objects.filter(programme__in=programmes).delete()
