"""The ledger's arithmetic on records: gather an undertaking's aid, check a new delivery
against the ceiling (`metacluster.core.aid`), and write the aid record when it is recorded.

`services.workflows.record_delivery` calls `check_delivery` and `record_aid` inside its
transaction, so every way of recording a delivery (form, attendance, API, testbed use, demo)
goes through the same check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from metacluster.core.aid import (
    Assessment,
    Grant,
    Status,
    assess_de_minimis,
    assess_project_limit,
)

from .choices import AidScheme
from .models import AidDeclaration, AidRecord, ProgrammeAidSettings, undertaking_companies

CENT = Decimal("0.01")


def aid_value(delivery) -> Decimal:
    """Units × the service's market rate, to the cent."""
    # Decimal(str(...)): a record built in code may still hold an int or a string.
    quantity = Decimal(str(delivery.quantity))
    return (quantity * Decimal(str(delivery.service.value_per_unit))).quantize(CENT)


@dataclass
class AidCheck:
    """What recording one delivery would do to its undertaking's aid."""

    company: object
    programme: object
    settings: ProgrammeAidSettings
    value: Decimal
    assessment: Assessment
    company_ids: list[int] = field(default_factory=list)

    @property
    def scheme(self) -> str:
        return self.settings.scheme

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def near(self) -> bool:
        return self.status is Status.NEAR

    @property
    def over(self) -> bool:
        return self.status is Status.OVER

    def message(self) -> str:
        a = self.assessment
        figures = {
            "company": self.company,
            "value": money(self.value),
            "total": money(a.total),
            "ceiling": money(a.ceiling),
            "percent": number_format(a.share * 100, 0),
            "start": a.window_start,
            "end": a.window_end,
            "headroom": money(a.headroom),
        }
        if self.scheme == AidScheme.GBER_20A:
            text = _(
                "%(company)s: this aid of EUR %(value)s brings its undertaking's aid in this "
                "project under GBER Art. 20a to EUR %(total)s of the EUR %(ceiling)s limit "
                "(%(percent)s %%); EUR %(headroom)s was left."
            )
        else:
            text = _(
                "%(company)s: this aid of EUR %(value)s brings its undertaking's de minimis aid "
                "from %(start)s to %(end)s to EUR %(total)s of the EUR %(ceiling)s ceiling "
                "(%(percent)s %%); EUR %(headroom)s was left."
            )
        return text % figures


def money(amount: Decimal) -> str:
    return number_format(amount.quantize(CENT), 2, force_grouping=True)


def de_minimis_grants(company_ids, *, exclude_delivery=None) -> list[Grant]:
    """Every de minimis grant to these companies: through deliveries in any programme, and
    declared from other grantors."""
    records = AidRecord.objects.de_minimis().filter(company_id__in=company_ids)
    if exclude_delivery is not None and exclude_delivery.pk:
        records = records.exclude(delivery=exclude_delivery)
    grants = [Grant(day, value) for day, value in records.values_list("granted_on", "value")]
    declared = AidDeclaration.objects.de_minimis().filter(company_id__in=company_ids)
    grants += [Grant(day, amount) for day, amount in declared.values_list("granted_on", "amount")]
    return grants


def project_total(company_ids, programme) -> Decimal:
    """What these companies received under GBER Art. 20a in this programme."""
    total = AidRecord.objects.filter(
        company_id__in=company_ids, programme=programme, scheme=AidScheme.GBER_20A
    ).aggregate(total=Sum("value"))["total"]
    return total or Decimal(0)


def assess(company, programme, value: Decimal, on: date, *, extra=(), settings=None) -> AidCheck:
    """Check aid of `value` granted to `company` on `on` in `programme`. `extra` is aid not
    yet saved (other deliveries of the same batch): (company id, day, value) tuples."""
    settings = settings or ProgrammeAidSettings.for_programme(programme)
    company_ids = undertaking_companies(company)
    extra = [(day, amount) for company_id, day, amount in extra if company_id in company_ids]
    share = Decimal(settings.warning_percent) / 100
    if settings.scheme == AidScheme.GBER_20A:
        before = project_total(company_ids, programme) + sum(
            (amount for _day, amount in extra), Decimal(0)
        )
        assessment = assess_project_limit(
            before, value, limit=settings.project_limit, warning_share=share
        )
    else:
        grants = de_minimis_grants(company_ids) + [Grant(day, amount) for day, amount in extra]
        assessment = assess_de_minimis(
            grants,
            value,
            on,
            fiscal_year_start_month=settings.fiscal_year_start_month,
            warning_share=share,
        )
    return AidCheck(company, programme, settings, value, assessment, company_ids)


def check_delivery(delivery, *, extra=()) -> AidCheck:
    """The check for a delivery about to be recorded."""
    programme = delivery.service.programme
    return assess(delivery.company, programme, aid_value(delivery), delivery.date, extra=extra)


def check_deliveries(deliveries) -> list[AidCheck]:
    """The checks for deliveries recorded together: each counts the ones before it."""
    checks, pending = [], []
    for delivery in deliveries:
        check = check_delivery(delivery, extra=pending)
        checks.append(check)
        pending.append((delivery.company_id, delivery.date, check.value))
    return checks


def lock_undertaking(company) -> None:
    """Hold the undertaking's companies until the transaction ends, so that two deliveries
    recorded at the same moment cannot both fit under a ceiling that only one of them fits."""
    from metacluster.companies.models import Company

    list(Company.objects.select_for_update().filter(pk__in=undertaking_companies(company)))


def may_override(user, programme) -> bool:
    return user is None or programme.is_managed_by(user)


def refusal(check: AidCheck, override: str, by) -> str | None:
    """Why the delivery cannot be recorded, or None when it can: past the ceiling it needs a
    programme manager's reason."""
    if not check.over:
        return None
    if not override.strip():
        return (
            check.message()
            + " "
            + _(
                "Past the ceiling the aid cannot be granted; a programme manager may record it "
                "with a reason."
            )
        )
    if not may_override(by, check.programme):
        return (
            check.message() + " " + _("Only a programme manager can record aid past the ceiling.")
        )
    return None


def enforce(check: AidCheck, *, override: str, by, field: str = "aid_override_reason") -> None:
    problem = refusal(check, override, by)
    if problem:
        raise ValidationError({field: [problem]}, code="aid_ceiling")


def record_aid(delivery, check: AidCheck, *, override: str = "", by=None) -> AidRecord:
    """Write the aid record of a delivery just saved."""
    return AidRecord.objects.create(
        delivery=delivery,
        company=delivery.company,
        programme=check.programme,
        granted_on=delivery.date,
        scheme=check.scheme,
        units=Decimal(str(delivery.quantity)),
        market_rate=Decimal(str(delivery.service.value_per_unit)),
        value=check.value,
        override_reason=override.strip() if check.over else "",
        overridden_by=by if check.over else None,
    )


# --- Standing: where undertakings stand, for the ledger pages ----------------------------------


@dataclass
class Standing:
    """An undertaking's position against its ceiling on one day (no new aid)."""

    company_id: int
    as_of: date | None
    assessment: Assessment


def standings(company_ids, programme=None, *, on: date | None = None) -> dict[int, Standing]:
    """Each company's undertaking's standing, in a few queries for many companies: on `on`,
    or else on the day of the undertaking's latest aid (the day the ceiling was last tested).
    With a GBER Art. 20a `programme`, the total in that project against its limit."""
    from .models import UndertakingMember

    company_ids = list(company_ids)
    group_of = {company_id: company_id for company_id in company_ids}
    memberships = UndertakingMember.objects.filter(
        undertaking__members__company_id__in=company_ids
    ).values_list("undertaking_id", "company_id")
    members: dict[int, set[int]] = {}
    for undertaking_id, company_id in memberships:
        members.setdefault(undertaking_id, set()).add(company_id)
    group_members = {}
    for undertaking_id, ids in members.items():
        for company_id in ids:
            group_of[company_id] = -undertaking_id  # negative: not to clash with company ids
        group_members[-undertaking_id] = ids
    everyone = set(group_of)
    settings = ProgrammeAidSettings.for_programme(programme) if programme else None
    gber = settings is not None and settings.scheme == AidScheme.GBER_20A
    grants: dict[int, list[Grant]] = {}
    if gber:
        rows = AidRecord.objects.filter(
            company_id__in=everyone, programme=programme, scheme=AidScheme.GBER_20A
        ).values_list("company_id", "granted_on", "value")
    else:
        rows = list(
            AidRecord.objects.de_minimis()
            .filter(company_id__in=everyone)
            .values_list("company_id", "granted_on", "value")
        ) + list(
            AidDeclaration.objects.de_minimis()
            .filter(company_id__in=everyone)
            .values_list("company_id", "granted_on", "amount")
        )
    for company_id, day, amount in rows:
        grants.setdefault(group_of[company_id], []).append(Grant(day, amount))
    month = settings.fiscal_year_start_month if settings else 1
    share = Decimal(settings.warning_percent if settings else 80) / 100
    result = {}
    for company_id in company_ids:
        group = grants.get(group_of[company_id], [])
        if gber:
            total = sum((g.amount for g in group), Decimal(0))
            assessment = assess_project_limit(
                total, Decimal(0), limit=settings.project_limit, warning_share=share
            )
            result[company_id] = Standing(company_id, None, assessment)
            continue
        as_of = on or max((g.granted_on for g in group), default=None) or date.today()
        assessment = assess_de_minimis(
            [g for g in group if g.granted_on <= as_of],
            Decimal(0),
            as_of,
            fiscal_year_start_month=month,
            warning_share=share,
        )
        result[company_id] = Standing(company_id, as_of, assessment)
    return result
