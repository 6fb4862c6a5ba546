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
# `derived` adds columns computed from a row (a town out of an administrative unit's name,
# the parts of a column that packs several values), offered for mapping like the file's own;
# `unread` names each column the layout leaves out and why, so that every column of a
# recognised layout either fills a field or is knowingly left out; `defaults` fills fields
# the file does not have. The sources of the layouts: docs/SCOUTING.md and
# metacluster/scouting/tests/registers/README.md.


def _ee_town(row: dict[str, str]) -> str:
    """The settlement out of an Estonian administrative-unit name (EHAK), which runs from
    the smallest unit to the county: "Kesklinna linnaosa, Tallinn, Harju maakond" → Tallinn,
    "Tartu linn, Tartu linn, Tartu maakond" → Tartu, "Viimsi küla, Viimsi vald, Harju
    maakond" → Viimsi küla."""
    for part in (row.get("asukoha_ehak_tekstina") or "").split(","):
        part = part.strip()
        if not part or part.endswith((" linnaosa", " maakond")):
            continue
        return part.removesuffix(" linn")
    return ""


def _lv_postcode(index: str) -> str:
    """Latvian postcodes are written LV-1019; the register gives the digits."""
    index = index.strip()
    return f"LV-{index}" if index.isdigit() else index


def _se_parts(text: str) -> list[str]:
    """Bolagsverket's bulk file packs values and their codes into one cell with `$`
    between them ("5560125790$ORGNR-IDORG") and several entries with `|`: the first
    entry's parts."""
    return [part.strip() for part in (text or "").split("|")[0].split("$")]


_SE_POSTCODE = re.compile(r"\d{3} ?\d{2}")


def _se_address(row: dict[str, str]) -> tuple[str, str, str]:
    """(street address, postcode, town) out of Bolagsverket's `postadress`: the street
    first, then a c/o line, the postal town and the postcode (in either order) and the
    country's code, each part possibly empty."""
    parts = _se_parts(row.get("postadress", ""))
    street = parts[0] if parts else ""
    postcode = next((p for p in parts[1:] if _SE_POSTCODE.fullmatch(p)), "")
    towns = [
        p for p in parts[1:]
        if p and p != postcode and not p.endswith("-LAND") and not p.lower().startswith("c/o")
    ]  # fmt: skip
    town = towns[-1] if towns else ""
    return street, postcode.replace(" ", ""), _title(town)


def _title(town: str) -> str:
    """A town written in capitals as registers do ("HÄMEENLINNA") in ordinary case."""
    town = town.strip()
    return town.title() if town.isupper() else town


def _se_status(row: dict[str, str]) -> str:
    if row.get("avregistreringsdatum", "").strip():
        return "deleted"
    pending = row.get("pagandeAvvecklingsEllerOmstruktureringsforfarande", "")
    if "KK-" in pending:
        return "bankrupt"
    if "LI-" in pending:
        return "liquidation"
    return "active"


LAYOUTS = {
    "ee-ariregister": {
        "title": "Estonian e-Business Register open data (lihtandmed, CSV)",
        "signature": ("nimi", "ariregistri_kood"),
        "columns": {
            "name": "nimi",
            "registry_code": "ariregistri_kood",
            "legal_form": "ettevotja_oiguslik_vorm",
            "vat_number": "kmkr_nr",
            "status": "ettevotja_staatus",
            "founded": "ettevotja_esmakande_kpv",
            "address": "asukoht_ettevotja_aadressis",
            "town": "asukoha_ehak_tekstina · asula",
            "postcode": "indeks_ettevotja_aadressis",
        },
        "derived": {"asukoha_ehak_tekstina · asula": _ee_town},
        "unread": {
            "ettevotja_oigusliku_vormi_alaliik": "the legal form's subtype",
            "ettevotja_staatus_tekstina": "the status code's text",
            "ettevotja_aadress": "the address as one text; its parts are read",
            "asukoha_ehak_kood": "the administrative unit's code; its name is read",
            "asukoha_ehak_tekstina": "read as the town (asukoha_ehak_tekstina · asula)",
            "ads_adr_id": "the address register's identifiers",
            "ads_ads_oid": "the address register's identifiers",
            "ads_normaliseeritud_taisaadress": "the address as one text; its parts are read",
            "teabesysteemi_link": "a link to the company's page in the register, not its website",
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
            "status": "terminated · status",
            "address": "address",
            "postcode": "index · LV",
            "town": "address · pilsēta",
        },
        "derived": {
            "terminated · status": lambda row: "deleted" if row.get("terminated", "").strip() else "active",
            # The address starts with the town or parish: "Rīga, Latgales iela 180 - 5".
            "address · pilsēta": lambda row: (row.get("address") or "").split(",")[0].strip(),
            "index · LV": lambda row: _lv_postcode(row.get("index", "")),
        },
        "unread": {
            "sepa": "the SEPA creditor identifier",
            "name_before_quotes": "parts of the name",
            "name_in_quotes": "parts of the name",
            "name_after_quotes": "parts of the name",
            "without_quotes": "whether the name has no quotes (0 or 1)",
            "regtype": "which register holds the entity",
            "regtype_text": "which register holds the entity",
            "type_text": "the legal form's name; its code is read",
            "terminated": "read as the status (terminated · status)",
            "closed": "how a terminated entity ended",
            "index": "read as the postcode (index · LV)",
            "addressid": "the address register's identifier",
            "region": "a code of the region",
            "city": "a code of the city, not its name (the town is read from the address)",
            "atvk": "the territorial unit's code",
            "reregistration_term": "the term for re-registration",
        },
        "defaults": {"country": "LV"},
    },
    "fi-ytj": {
        "title": "Finnish YTJ open data (PRH API v3), one company per row",
        "signature": ("businessId.value", "mainBusinessLine.type"),
        "columns": {
            "registry_code": "businessId.value",
            "name": "names.name",
            "nace_codes": "mainBusinessLine.type",
            "founded": "registrationDate",
            "status": "endDate · status",
            "website": "website.url",
            "address": "addresses.street",
            "postcode": "addresses.postCode",
            "town": "addresses.postOffices.city · nimi",
        },
        "derived": {
            "endDate · status": lambda row: "deleted" if row.get("endDate", "").strip() else "active",
            "addresses.postOffices.city · nimi": lambda row: _title(row.get("addresses.postOffices.city", "")),
        },
        "unread": {
            "businessId.registrationDate": "when the business ID was given",
            "euId.value": "the EU identifier, built from the business ID",
            "companyForms.type": "a code of PRH's; the legal form is read from the name (Oy, Oyj …)",
            "addresses.postOffices.city": "read as the town (… · nimi), in ordinary case",
            "endDate": "read as the status (endDate · status)",
            "tradeRegisterStatus": "a code of PRH's; the end date says whether the company ended",
            "status": "a code of PRH's; the end date says whether the company ended",
            "lastModified": "when PRH last changed the record",
        },
        "defaults": {"country": "FI"},
    },
    "se-bolagsverket": {
        "title": "Swedish Companies Registration Office bulk file (Bolagsverket, bolagsverket_bulkfil)",
        "signature": ("organisationsidentitet", "organisationsnamn"),
        "columns": {
            "registry_code": "organisationsidentitet · nummer",
            "name": "organisationsnamn · namn",
            "legal_form": "organisationsform · kod",
            "founded": "registreringsdatum",
            "status": "avregistreringsdatum · status",
            "description": "verksamhetsbeskrivning",
            "address": "postadress · utdelningsadress",
            "postcode": "postadress · postnummer",
            "town": "postadress · postort",
        },
        "derived": {
            "organisationsidentitet · nummer": lambda row: _se_parts(row.get("organisationsidentitet", ""))[0],
            "organisationsnamn · namn": lambda row: _se_parts(row.get("organisationsnamn", ""))[0],
            "organisationsform · kod": lambda row: _se_parts(row.get("organisationsform", ""))[0].removesuffix("-ORGFO"),
            "avregistreringsdatum · status": _se_status,
            "postadress · utdelningsadress": lambda row: _se_address(row)[0],
            "postadress · postnummer": lambda row: _se_address(row)[1],
            "postadress · postort": lambda row: _se_address(row)[2],
        },
        "unread": {
            "organisationsidentitet": "read as the registry code (… · nummer)",
            "namnskyddslopnummer": "tells apart a sole trader's several businesses",
            "registreringsland": "the country, always Sweden",
            "organisationsnamn": "read as the name (… · namn)",
            "organisationsform": "read as the legal form (… · kod)",
            "avregistreringsdatum": "read as the status (… · status)",
            "avregistreringsorsak": "why a company was deregistered",
            "pagandeAvvecklingsEllerOmstruktureringsforfarande": "read into the status",
            "postadress": "read as the address, postcode and town (postadress · …)",
        },
        "defaults": {"country": "SE"},
    },
}  # fmt: skip


def with_derived(headers: list[str]) -> list[str]:
    """The file's columns, and the derived columns of the layout it is recognised as."""
    layout = recognise_layout(headers)
    derived = LAYOUTS[layout].get("derived", {}) if layout else {}
    return [*headers, *(column for column in derived if column not in headers)]


def add_derived(layout: str, row: dict[str, str], columns: set[str]) -> dict[str, str]:
    """The row with the layout's derived columns among `columns` computed."""
    derived = LAYOUTS.get(layout, {}).get("derived", {})
    for column in columns:
        if column in derived:
            row[column] = derived[column](row)
    return row


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def recognise_layout(headers: list[str]) -> str | None:
    """The key of the public layout whose signature columns the header has, if any."""
    present = {header.strip().lower() for header in headers}
    for key, layout in LAYOUTS.items():
        if all(column.lower() in present for column in layout["signature"]):
            return key
    return None


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field → column, from a known layout or from the columns' names; each field and each
    column used once, the first matching column winning."""
    mapping: dict[str, str] = {}
    layout = recognise_layout(headers)
    if layout:
        by_lower = {header.strip().lower(): header for header in headers}
        columns = LAYOUTS[layout]["columns"]
        mapping = {f: by_lower[c.lower()] for f, c in columns.items() if c.lower() in by_lower}
    # Columns beyond the layout's (an extract joined with head counts and activity codes,
    # say) and files of no known layout: by their names.
    used = set(mapping.values())
    if layout:
        unread = {column.lower() for column in LAYOUTS[layout].get("unread", {})}
        used |= {header for header in headers if header.strip().lower() in unread}
    for header in headers:
        field = _LOOKUP.get(normalise_header(header))
        if field and field not in mapping and header not in used:
            mapping[field] = header
            used.add(header)
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
