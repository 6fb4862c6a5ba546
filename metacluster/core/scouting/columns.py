"""The fields an import fills, the column names that usually hold them, and the layouts of
public register files recognised out of the box."""

from __future__ import annotations

import re

from .names import fold

# Field → what the user sees when mapping columns.
FIELDS = {
    "name": "Name",
    "registry_code": "Registry code",
    "vat_number": "VAT number",
    "country": "Country",
    "town": "Town",
    "address": "Address",
    "postcode": "Postcode",
    "legal_form": "Legal form",
    "status": "Register status",
    "nace_codes": "NACE / EMTAK / SNI codes",
    "employees": "Employees",
    "turnover": "Turnover (EUR)",
    "turnover_previous": "Turnover the year before (EUR)",
    "founded": "Founded (year or date)",
    "website": "Website",
    "description": "Description",
}
REQUIRED = ("name",)

# Normalised header (folded, letters and digits only) → field. English, Estonian, Finnish,
# Swedish, Latvian, Lithuanian and German spellings.
SYNONYMS = {
    "name": "name companyname company nimi arinimi namn foretagsnamn foretag nosaukums "
    "pavadinimas firma firmenname",
    "registry_code": "registrycode registrationnumber regno regnr regcode registrikood "
    "ariregistrikood ariregistrikood ytunnus businessid organisationsnummer orgnr "
    "organisasjonsnummer cvr cvrnr registracijasnumurs imoneskodas kodas handelsregister",
    "vat_number": "vat vatnumber vatno vatid kmkr kmkrnr kmkrnumber alv alvnumero momsnr "
    "momsregistreringsnummer pvn pvmkodas ustid",
    "country": "country countrycode riik maa land valsts salis",
    "town": "town city municipality place linn kotipaikka kunta ort kommun postort pilseta "
    "miestas ort stadt asukoht",
    "address": "address streetaddress aadress osoite adress adrese adresas anschrift",
    "postcode": "postcode zip zipcode postalcode indeks postinumero postnummer pasta "
    "pastoindeksas plz",
    "legal_form": "legalform companyform form oiguslikvorm yhtiomuoto bolagsform "
    "uznemumaveids type teisineforma rechtsform",
    "status": "status registerstatus staatus tila",
    "nace_codes": "nace nacecode nacecodes naceactivity emtak emtakkood emtakcode sni "
    "snikod toimiala toimialakoodi tol industry activity activitycode nozare evrk",
    "employees": "employees headcount staff employeecount tootajad tootajatearv tootajatearv "
    "tootajatearv henkilosto "
    "anstallda antalanstallda darbinieki darbuotojai mitarbeiter",
    "turnover": "turnover revenue sales muugitulu kaive liikevaihto omsattning "
    "apgrozijums apyvarta umsatz",
    "turnover_previous": "turnoverprevious previousturnover turnoverlastyear revenueprevious",
    "founded": "founded foundedyear founding established registered registrationdate "
    "esmakandekpv asutatud perustettu registrerad registreringsdatum dibinats registreta "
    "iregistruota gegrundet",
    "website": "website web url www homepage veebileht kotisivu hemsida",
    "description": "description about activitydescription kirjeldus kuvaus beskrivning "
    "apraksts aprasymas beschreibung",
}
_LOOKUP = {word: field for field, words in SYNONYMS.items() for word in words.split()}

# Public register files recognised by their header. Each maps the file's own columns;
# `defaults` fills fields the file does not have.
LAYOUTS = {
    "ee-ariregister": {
        "title": "Estonian e-Business Register open data (ettevõtja rekvisiidid, CSV)",
        "signature": ("nimi", "ariregistri_kood"),
        "columns": {
            "name": "nimi",
            "registry_code": "ariregistri_kood",
            "legal_form": "ettevotja_oiguslik_vorm",
            "vat_number": "kmkr_nr",
            "status": "ettevotja_staatus",
            "founded": "ettevotja_esmakande_kpv",
            "address": "ettevotja_aadress",
            "town": "asukoht_ettevotja_aadressis",
            "postcode": "indeks_ettevotja_aadressis",
            "nace_codes": "emtak_kood",
        },
        "defaults": {"country": "EE"},
    },
    "lv-ur": {
        "title": "Latvian Register of Enterprises open data (register.csv)",
        "signature": ("regcode", "name", "type"),
        "columns": {
            "name": "name",
            "registry_code": "regcode",
            "legal_form": "type",
            "founded": "registered",
            "status": "terminated",
            "address": "address",
            "postcode": "index",
            "town": "city",
        },
        "defaults": {"country": "LV"},
    },
}


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def recognise_layout(headers: list[str]) -> str | None:
    """The key of the public layout whose signature columns the header has, if any."""
    present = {header.strip().lower() for header in headers}
    for key, layout in LAYOUTS.items():
        if all(column in present for column in layout["signature"]):
            return key
    return None


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field → column, from a known layout or from the columns' names; each field and each
    column used once, the first matching column winning."""
    layout = recognise_layout(headers)
    if layout:
        by_lower = {header.strip().lower(): header for header in headers}
        columns = LAYOUTS[layout]["columns"]
        return {f: by_lower[c] for f, c in columns.items() if c in by_lower}
    mapping: dict[str, str] = {}
    for header in headers:
        field = _LOOKUP.get(normalise_header(header))
        if field and field not in mapping:
            mapping[field] = header
    return mapping


# Register status words and codes → active, liquidation, bankrupt, deleted. Estonian
# e-Business Register codes: R registered, L in liquidation, N bankrupt, K deleted.
_STATUSES = {
    "active": "active registered r aktiivne aktiivinen aktiv aktivs veikiantis rekisterissa "
    "registrerad reg",
    "liquidation": "liquidation l likvideerimisel selvitystilassa likvidation likvidacija "
    "likviduojamas inliquidation",
    "bankrupt": "bankrupt n pankrotis konkurssissa konkurs maksatnespejigs bankrutuojantis "
    "bankrutavusi insolvent",
    "deleted": "deleted k kustutatud lakannut avregistrerad likvidets izslegts isregistruotas "
    "terminated closed dissolved",
}
_STATUS_LOOKUP = {word: status for status, words in _STATUSES.items() for word in words.split()}


def register_status(text: str) -> str | None:
    """The status a register's word or code means; "" when empty, None when unknown. A date
    (the Latvian register's `terminated` column) means the company was deleted."""
    text = (text or "").strip()
    if not text:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*|\d{1,2}\.\d{1,2}\.\d{4}", text):
        return "deleted"
    return _STATUS_LOOKUP.get(normalise_header(text))
