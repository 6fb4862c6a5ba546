"""Demo records of state aid, added to the demo programmes by `metacluster load-demo`.

The aid settings are invented for the demo (the real programmes' choices are not in our
sources): ICT Meta Cluster and SME2GO grant de minimis aid, SME2GO with fiscal years from July;
4SmartGrowth grants aid under GBER Art. 20a. Declared aid and the linked companies are
fictional, like the companies."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from metacluster.core.aid import window_start
from metacluster.services.models import Delivery

from .choices import AidScheme, DeclaredScheme, UndertakingLink
from .models import (
    AidDeclaration,
    AidRecord,
    ProgrammeAidSettings,
    Undertaking,
    UndertakingMember,
)

GRANTORS = {
    "SE": ("Vinnova", "Tillväxtverket", "Region Gävleborg"),
    "EE": ("Enterprise Estonia (EAS)", "KredEx"),
    "LV": ("LIAA", "ALTUM"),
    "FI": ("Business Finland", "ELY Centre Varsinais-Suomi"),
}
NEAR_SHARE = Decimal("0.9")


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    ict, sme2go, foursg = (programmes[k] for k in ("ict-meta-cluster", "sme2go", "4smartgrowth"))
    ProgrammeAidSettings.objects.bulk_create(
        [
            ProgrammeAidSettings(
                programme=ict,
                granting_authority="Interreg Central Baltic 2014–2020, through the partner "
                "that delivered the service",
            ),
            ProgrammeAidSettings(
                programme=sme2go,
                fiscal_year_start_month=7,
                granting_authority="Interreg Central Baltic 2014–2020",
            ),
            ProgrammeAidSettings(
                programme=foursg,
                scheme=AidScheme.GBER_20A,
                granting_authority="Interreg Central Baltic 2014–2020",
            ),
        ]
    )
    records = _aid_records(list(programmes.values()))
    declarations = _declarations(ict, rng)
    undertakings = _undertaking(ict, sme2go)
    return {
        "aid records": records,
        "declared aid": declarations,
        "single undertakings": undertakings,
    }


def _aid_records(programmes) -> int:
    """The demo's deliveries are bulk-created, past `record_delivery`: give them their aid."""
    scheme = {
        s.programme_id: s.scheme
        for s in ProgrammeAidSettings.objects.filter(programme__in=programmes)
    }
    missing = Delivery.objects.filter(
        service__programme__in=programmes, aid__isnull=True
    ).select_related("service")
    records = [
        AidRecord(
            delivery=delivery,
            company_id=delivery.company_id,
            programme_id=delivery.service.programme_id,
            granted_on=delivery.date,
            scheme=scheme.get(delivery.service.programme_id, AidScheme.DE_MINIMIS),
            units=delivery.quantity,
            market_rate=delivery.service.value_per_unit,
            value=(delivery.quantity * delivery.service.value_per_unit).quantize(Decimal("0.01")),
            created_at=delivery.created_at,
        )
        for delivery in missing
    ]
    return len(AidRecord.objects.bulk_create(records, batch_size=1000))


def _declarations(ict, rng) -> int:
    """A few SMEs declare aid from national grantors; the one with most aid in ICT Meta Cluster
    is brought to 90 % of the ceiling for a delivery on the programme's last day, so that
    recording one more for it shows the warning."""
    from metacluster.accounts.models import User

    sme_company = User.objects.filter(username="sme").values_list("company_id", flat=True).first()
    totals = (
        AidRecord.objects.filter(programme=ict)
        .exclude(company_id=sme_company)
        .values("company_id", "company__country")
        .annotate(total=Sum("value"))
        .order_by("-total", "company_id")
    )
    top = list(totals[:8])
    declarations = []
    for row in top[1:]:
        declarations.append(
            AidDeclaration(
                company_id=row["company_id"],
                grantor=rng.choice(GRANTORS[row["company__country"]]),
                granted_on=ict.start_date + timedelta(days=rng.randint(0, 900)),
                amount=Decimal(rng.randrange(5_000, 60_000, 500)),
                scheme=rng.choice([DeclaredScheme.DE_MINIMIS] * 3 + [DeclaredScheme.GBER]),
                reference=f"DEMO-{rng.randint(1000, 9999)}",
            )
        )
    near = top[0]
    on = ict.end_date
    start = window_start(on)
    recorded = AidRecord.objects.filter(
        company_id=near["company_id"], scheme=AidScheme.DE_MINIMIS, granted_on__gte=start
    ).aggregate(total=Sum("value"))["total"] or Decimal(0)
    declarations.append(
        AidDeclaration(
            company_id=near["company_id"],
            grantor=GRANTORS[near["company__country"]][0],
            granted_on=date(on.year - 1, 6, 15),
            amount=(Decimal(200_000) * NEAR_SHARE - recorded).quantize(Decimal(1)),
            scheme=DeclaredScheme.DE_MINIMIS,
            reference="DEMO-NEAR-CEILING",
        )
    )
    if sme_company:
        declarations.append(
            AidDeclaration(
                company_id=sme_company,
                grantor="Region Gävleborg",
                granted_on=date(2017, 3, 1),
                amount=Decimal(15_000),
                scheme=DeclaredScheme.DE_MINIMIS,
                reference="DEMO-RG-2017",
            )
        )
    return len(AidDeclaration.objects.bulk_create(declarations))


def _undertaking(ict, sme2go) -> int:
    """Two demo companies, one in each programme, turn out to belong to the same group."""
    in_ict = AidRecord.objects.filter(programme=ict).values_list("company_id", flat=True)
    in_sme2go = AidRecord.objects.filter(programme=sme2go).exclude(company_id__in=in_ict)
    pair = [
        in_ict.exclude(company_id__in=AidDeclaration.objects.values("company_id"))
        .order_by("company__name")
        .first(),
        in_sme2go.values_list("company_id", flat=True).order_by("company__name").first(),
    ]
    if None in pair:
        return 0
    undertaking = Undertaking.objects.create(
        name="Demo Holding group (fictional)",
        notes="Registry extract: the parent holds 70 % of the voting rights of its subsidiary.",
    )
    UndertakingMember.objects.create(
        undertaking=undertaking, company_id=pair[0], link=UndertakingLink.PARENT
    )
    UndertakingMember.objects.create(
        undertaking=undertaking, company_id=pair[1], link=UndertakingLink.VOTING_MAJORITY
    )
    return 1


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    AidRecord.objects.filter(Q(programme__in=programmes) | Q(company__in=companies)).delete()
    Undertaking.objects.filter(members__company__in=companies).delete()
