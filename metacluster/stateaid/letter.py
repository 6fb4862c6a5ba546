"""The aid letter: what a company received in a programme, under which scheme and rule.

Grantors must tell the undertaking the amount of de minimis aid and its de minimis character,
with an express reference to the regulation (Art. 6(1) of Regulation (EU) 2023/2831; Art. 6(1)
of Regulation 1407/2013 for aid granted before 2024), so that it can declare the aid to the
next grantor. The letter is written in the reader's language."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation

from metacluster.core.aid import regime_for, retention_until

from .choices import AidScheme
from .models import ProgrammeAidSettings

# Official Journal references of the rules a letter may cite.
LEGAL_REFERENCES = {
    "Regulation (EU) No 1407/2013": "Commission Regulation (EU) No 1407/2013 of 18 December "
    "2013 on the application of Articles 107 and 108 of the Treaty on the Functioning of the "
    "European Union to de minimis aid (OJ L 352, 24.12.2013, p. 1)",
    "Regulation (EU) 2023/2831": "Commission Regulation (EU) 2023/2831 of 13 December 2023 on "
    "the application of Articles 107 and 108 of the Treaty on the Functioning of the European "
    "Union to de minimis aid (OJ L, 2023/2831, 15.12.2023)",
    "GBER": "Article 20a of Commission Regulation (EU) No 651/2014 of 17 June 2014 declaring "
    "certain categories of aid compatible with the internal market (OJ L 187, 26.6.2014, p. 1), "
    "as amended by Commission Regulation (EU) 2023/1315 (OJ L 167, 30.6.2023, p. 1)",
}


def legal_references(records) -> list[str]:
    """The rules the letter's aid was granted under, oldest first."""
    keys = []
    for record in records:
        if record.scheme == AidScheme.GBER_20A:
            key = "GBER"
        else:
            key = regime_for(record.granted_on).regulation
        if key not in keys:
            keys.append(key)
    return [LEGAL_REFERENCES[key] for key in keys]


def letter_context(company, programme, records) -> dict:
    settings = ProgrammeAidSettings.for_programme(programme)
    last = max(record.granted_on for record in records)
    return {
        "company": company,
        "programme": programme,
        "settings": settings,
        "records": records,
        "total": sum((record.value for record in records), Decimal(0)),
        "de_minimis": any(r.scheme == AidScheme.DE_MINIMIS for r in records),
        "gber": any(r.scheme == AidScheme.GBER_20A for r in records),
        "references": legal_references(records),
        "keep_until": retention_until(last),
        "today": timezone.localdate(),
    }


def letter_html(company, programme, records, language: str) -> str:
    with translation.override(language):
        return render_to_string("stateaid/letter.html", letter_context(company, programme, records))


def render_letter(request, company, programme, records) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a letter is asked for

    language = request.user.language or translation.get_language() or "en"
    html = letter_html(company, programme, records, language)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
