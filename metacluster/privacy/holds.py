"""Legal holds: what the law requires to keep about a company, whatever an erasure asks.

- State aid: the record of aid granted under de minimis must be kept 10 years from the last
  grant (Regulation (EU) 2023/2831, Art. 6(4); metacluster.core.aid.retention_until).
- Funder evidence: the records behind a programme's indicators (engagements, deliveries, deals)
  are kept until FUNDER_EVIDENCE_YEARS after the programme's end (Interreg: documents kept for
  five years from the end of the year of the last payment; Regulation (EU) 2021/1060 Art. 82).

A hold keeps the company and those business records; it never keeps a person's name, e-mail,
phone or notes: those are erased or pseudonymised regardless.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.core.aid import retention_until
from metacluster.core.aid.windows import add_years
from metacluster.programmes.models import Programme


@dataclass(frozen=True)
class Hold:
    reason: str
    until: date


def for_company(company, today: date | None = None) -> list[Hold]:
    """The holds on `company` today, each with its reason and last day."""
    from metacluster.stateaid.models import AidRecord

    today = today or timezone.localdate()
    found = []
    last_aid = AidRecord.objects.filter(company=company).aggregate(last=Max("granted_on"))["last"]
    if last_aid and retention_until(last_aid) >= today:
        found.append(
            Hold(
                _(
                    "State-aid records are kept 10 years from the last aid granted "
                    "(Regulation (EU) 2023/2831, Art. 6(4))."
                ),
                retention_until(last_aid),
            )
        )
    programmes = Programme.objects.filter(engagements__company=company).distinct()
    for programme in programmes.order_by("end_date"):
        until = add_years(programme.end_date, settings.FUNDER_EVIDENCE_YEARS)
        if until >= today:
            found.append(
                Hold(
                    _(
                        "Funder evidence for %(programme)s: the records behind its indicators "
                        "are kept %(years)s years after the programme ends."
                    )
                    % {"programme": programme.name, "years": settings.FUNDER_EVIDENCE_YEARS},
                    until,
                )
            )
    return found
