"""NACE Rev. 2 activity codes as people read them: the sections (A–U) and divisions (01–99)
with their official titles, shown in the active language.

Titles: NACE Rev. 2, statistical classification of economic activities in the European
Community (Eurostat, 2008; Regulation (EC) No 1893/2006, Annex I). © European Union; reuse is
authorised provided the source is acknowledged (Commission Decision 2011/833/EU). See
docs/DATA.md. Which codes exist (groups and classes too) is the core's table,
`metacluster/data/nace_rev2.csv` (`core.scouting.nace`).

Each title is a msgid with the context "NACE", so the translators' catalogues carry the
national versions (EMTAK, SNI, TOL, NACE 2. red.); a title without a translation shows in
English. A group or class ("62.01") is named by its division, a section by its own title.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, override, pgettext_lazy

from metacluster.core.scouting.nace import canonical, nace_codes, section_of

SECTIONS = {
    "A": pgettext_lazy("NACE", "Agriculture, forestry and fishing"),
    "B": pgettext_lazy("NACE", "Mining and quarrying"),
    "C": pgettext_lazy("NACE", "Manufacturing"),
    "D": pgettext_lazy("NACE", "Electricity, gas, steam and air conditioning supply"),
    "E": pgettext_lazy(
        "NACE", "Water supply; sewerage, waste management and remediation activities"
    ),
    "F": pgettext_lazy("NACE", "Construction"),
    "G": pgettext_lazy(
        "NACE", "Wholesale and retail trade; repair of motor vehicles and motorcycles"
    ),
    "H": pgettext_lazy("NACE", "Transportation and storage"),
    "I": pgettext_lazy("NACE", "Accommodation and food service activities"),
    "J": pgettext_lazy("NACE", "Information and communication"),
    "K": pgettext_lazy("NACE", "Financial and insurance activities"),
    "L": pgettext_lazy("NACE", "Real estate activities"),
    "M": pgettext_lazy("NACE", "Professional, scientific and technical activities"),
    "N": pgettext_lazy("NACE", "Administrative and support service activities"),
    "O": pgettext_lazy("NACE", "Public administration and defence; compulsory social security"),
    "P": pgettext_lazy("NACE", "Education"),
    "Q": pgettext_lazy("NACE", "Human health and social work activities"),
    "R": pgettext_lazy("NACE", "Arts, entertainment and recreation"),
    "S": pgettext_lazy("NACE", "Other service activities"),
    "T": pgettext_lazy(
        "NACE",
        "Activities of households as employers; undifferentiated goods- and "
        "services-producing activities of households for own use",
    ),
    "U": pgettext_lazy("NACE", "Activities of extraterritorial organisations and bodies"),
}

DIVISIONS = {
    "01": pgettext_lazy(
        "NACE", "Crop and animal production, hunting and related service activities"
    ),
    "02": pgettext_lazy("NACE", "Forestry and logging"),
    "03": pgettext_lazy("NACE", "Fishing and aquaculture"),
    "05": pgettext_lazy("NACE", "Mining of coal and lignite"),
    "06": pgettext_lazy("NACE", "Extraction of crude petroleum and natural gas"),
    "07": pgettext_lazy("NACE", "Mining of metal ores"),
    "08": pgettext_lazy("NACE", "Other mining and quarrying"),
    "09": pgettext_lazy("NACE", "Mining support service activities"),
    "10": pgettext_lazy("NACE", "Manufacture of food products"),
    "11": pgettext_lazy("NACE", "Manufacture of beverages"),
    "12": pgettext_lazy("NACE", "Manufacture of tobacco products"),
    "13": pgettext_lazy("NACE", "Manufacture of textiles"),
    "14": pgettext_lazy("NACE", "Manufacture of wearing apparel"),
    "15": pgettext_lazy("NACE", "Manufacture of leather and related products"),
    "16": pgettext_lazy(
        "NACE",
        "Manufacture of wood and of products of wood and cork, except furniture; "
        "manufacture of articles of straw and plaiting materials",
    ),
    "17": pgettext_lazy("NACE", "Manufacture of paper and paper products"),
    "18": pgettext_lazy("NACE", "Printing and reproduction of recorded media"),
    "19": pgettext_lazy("NACE", "Manufacture of coke and refined petroleum products"),
    "20": pgettext_lazy("NACE", "Manufacture of chemicals and chemical products"),
    "21": pgettext_lazy(
        "NACE",
        "Manufacture of basic pharmaceutical products and pharmaceutical preparations",
    ),
    "22": pgettext_lazy("NACE", "Manufacture of rubber and plastic products"),
    "23": pgettext_lazy("NACE", "Manufacture of other non-metallic mineral products"),
    "24": pgettext_lazy("NACE", "Manufacture of basic metals"),
    "25": pgettext_lazy(
        "NACE", "Manufacture of fabricated metal products, except machinery and equipment"
    ),
    "26": pgettext_lazy("NACE", "Manufacture of computer, electronic and optical products"),
    "27": pgettext_lazy("NACE", "Manufacture of electrical equipment"),
    "28": pgettext_lazy("NACE", "Manufacture of machinery and equipment n.e.c."),
    "29": pgettext_lazy("NACE", "Manufacture of motor vehicles, trailers and semi-trailers"),
    "30": pgettext_lazy("NACE", "Manufacture of other transport equipment"),
    "31": pgettext_lazy("NACE", "Manufacture of furniture"),
    "32": pgettext_lazy("NACE", "Other manufacturing"),
    "33": pgettext_lazy("NACE", "Repair and installation of machinery and equipment"),
    "35": pgettext_lazy("NACE", "Electricity, gas, steam and air conditioning supply"),
    "36": pgettext_lazy("NACE", "Water collection, treatment and supply"),
    "37": pgettext_lazy("NACE", "Sewerage"),
    "38": pgettext_lazy(
        "NACE", "Waste collection, treatment and disposal activities; materials recovery"
    ),
    "39": pgettext_lazy("NACE", "Remediation activities and other waste management services"),
    "41": pgettext_lazy("NACE", "Construction of buildings"),
    "42": pgettext_lazy("NACE", "Civil engineering"),
    "43": pgettext_lazy("NACE", "Specialised construction activities"),
    "45": pgettext_lazy(
        "NACE", "Wholesale and retail trade and repair of motor vehicles and motorcycles"
    ),
    "46": pgettext_lazy("NACE", "Wholesale trade, except of motor vehicles and motorcycles"),
    "47": pgettext_lazy("NACE", "Retail trade, except of motor vehicles and motorcycles"),
    "49": pgettext_lazy("NACE", "Land transport and transport via pipelines"),
    "50": pgettext_lazy("NACE", "Water transport"),
    "51": pgettext_lazy("NACE", "Air transport"),
    "52": pgettext_lazy("NACE", "Warehousing and support activities for transportation"),
    "53": pgettext_lazy("NACE", "Postal and courier activities"),
    "55": pgettext_lazy("NACE", "Accommodation"),
    "56": pgettext_lazy("NACE", "Food and beverage service activities"),
    "58": pgettext_lazy("NACE", "Publishing activities"),
    "59": pgettext_lazy(
        "NACE",
        "Motion picture, video and television programme production, sound recording and "
        "music publishing activities",
    ),
    "60": pgettext_lazy("NACE", "Programming and broadcasting activities"),
    "61": pgettext_lazy("NACE", "Telecommunications"),
    "62": pgettext_lazy("NACE", "Computer programming, consultancy and related activities"),
    "63": pgettext_lazy("NACE", "Information service activities"),
    "64": pgettext_lazy(
        "NACE", "Financial service activities, except insurance and pension funding"
    ),
    "65": pgettext_lazy(
        "NACE",
        "Insurance, reinsurance and pension funding, except compulsory social security",
    ),
    "66": pgettext_lazy(
        "NACE", "Activities auxiliary to financial services and insurance activities"
    ),
    "68": pgettext_lazy("NACE", "Real estate activities"),
    "69": pgettext_lazy("NACE", "Legal and accounting activities"),
    "70": pgettext_lazy("NACE", "Activities of head offices; management consultancy activities"),
    "71": pgettext_lazy(
        "NACE",
        "Architectural and engineering activities; technical testing and analysis",
    ),
    "72": pgettext_lazy("NACE", "Scientific research and development"),
    "73": pgettext_lazy("NACE", "Advertising and market research"),
    "74": pgettext_lazy("NACE", "Other professional, scientific and technical activities"),
    "75": pgettext_lazy("NACE", "Veterinary activities"),
    "77": pgettext_lazy("NACE", "Rental and leasing activities"),
    "78": pgettext_lazy("NACE", "Employment activities"),
    "79": pgettext_lazy(
        "NACE",
        "Travel agency, tour operator reservation service and related activities",
    ),
    "80": pgettext_lazy("NACE", "Security and investigation activities"),
    "81": pgettext_lazy("NACE", "Services to buildings and landscape activities"),
    "82": pgettext_lazy(
        "NACE",
        "Office administrative, office support and other business support activities",
    ),
    "84": pgettext_lazy("NACE", "Public administration and defence; compulsory social security"),
    "85": pgettext_lazy("NACE", "Education"),
    "86": pgettext_lazy("NACE", "Human health activities"),
    "87": pgettext_lazy("NACE", "Residential care activities"),
    "88": pgettext_lazy("NACE", "Social work activities without accommodation"),
    "90": pgettext_lazy("NACE", "Creative, arts and entertainment activities"),
    "91": pgettext_lazy("NACE", "Libraries, archives, museums and other cultural activities"),
    "92": pgettext_lazy("NACE", "Gambling and betting activities"),
    "93": pgettext_lazy("NACE", "Sports activities and amusement and recreation activities"),
    "94": pgettext_lazy("NACE", "Activities of membership organisations"),
    "95": pgettext_lazy("NACE", "Repair of computers and personal and household goods"),
    "96": pgettext_lazy("NACE", "Other personal service activities"),
    "97": pgettext_lazy("NACE", "Activities of households as employers of domestic personnel"),
    "98": pgettext_lazy(
        "NACE",
        "Undifferentiated goods- and services-producing activities of private households "
        "for own use",
    ),
    "99": pgettext_lazy("NACE", "Activities of extraterritorial organisations and bodies"),
}


def nace_name(code: str) -> str:
    """The title of a NACE code in the active language: a section's or a division's own, a
    group's or class's that of its division ("62.01" and "6201" → "62"), or else its
    section's; "" for a code that is not NACE Rev. 2.

    A national five-digit code ("62010") is named by its NACE class."""
    code = nace_code(code)
    if code is None:
        return ""
    title = SECTIONS.get(code) or DIVISIONS.get(code[:2]) or SECTIONS.get(section_of(code))
    return str(title or "")


def nace_code(text: str) -> str | None:
    """`text` in NACE notation ("6201" → "62.01", "j" → "J") when it is a NACE Rev. 2 code,
    else None."""
    code = canonical(str(text or ""))
    return code if code in nace_codes() else None


def division_choices() -> list[tuple[str, str]]:
    """(code, title) of every division in the active language, in code order."""
    return [(code, str(title)) for code, title in DIVISIONS.items()]


def _english_titles() -> dict[str, str]:
    with override("en"):
        return {str(title).casefold(): code for code, title in DIVISIONS.items()}


def picked_nace(text: str, *, sections: bool = False) -> str | None:
    """The NACE code a filter's text means: a code as registers write it ("62", "62.01",
    "6201"), a picker option's label ("62 Computer programming…") or a division's title in the
    active language or in English (case ignored); a section letter only with `sections`. None
    when it means no code."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    code = nace_code(text.split(" ", 1)[0])
    if code is not None:
        return code if sections or not code.isalpha() else None
    key = text.casefold()
    for code, title in DIVISIONS.items():
        if str(title).casefold() == key:
            return code
    return _english_titles().get(key)


def unknown_nace_message(text: str, *, sections: bool = False) -> str:
    """The one message for a NACE filter that names no code (page and API alike)."""
    if sections:
        return gettext(
            "“%(text)s” is not a NACE Rev. 2 code: give a section (J), a division (62), a "
            "group (62.0) or a class (62.01), or pick a division from the list."
        ) % {"text": text}
    return gettext(
        "“%(text)s” is not a NACE Rev. 2 code: give a division (62), a group (62.0) or a "
        "class (62.01), or pick a division from the list."
    ) % {"text": text}


def nace_html(code: str) -> str:
    """One code for a page: "<abbr title="NACE Rev. 2">62.01</abbr> Computer programming, …"
    with the title in the active language; an unknown code alone."""
    name = nace_name(code)
    if not name:
        return format_html('<span class="nace">{}</span>', code)
    return format_html(
        '<span class="nace"><abbr title="NACE Rev. 2">{}</abbr> {}</span>', code, name
    )


def nace_list_html(codes, named: int | None = None) -> str:
    """Codes for a page, separated by commas; the first `named` (all by default) with their
    title, the others as the code with the title on hover (a table keeps one line per row)."""
    codes = list(codes or ())
    named = len(codes) if named is None else named
    parts = [nace_html(code) for code in codes[:named]]
    parts += [
        format_html('<abbr class="nace" title="{}">{}</abbr>', nace_name(code) or code, code)
        for code in codes[named:]
    ]
    return format_html_join(", ", "{}", ((part,) for part in parts))


def nace_datalist(list_id: str = "nace-divisions", sections: bool = False) -> str:
    """The options of a NACE filter ({% nace_datalist "nace-divisions" %}): every division,
    the code as the value and the title in the active language as its label; the sections
    first when the filter takes them."""
    options = [(code, str(title)) for code, title in SECTIONS.items()] if sections else []
    options += division_choices()
    return format_html(
        '<datalist id="{}">{}</datalist>',
        list_id,
        format_html_join("", '<option value="{}" label="{}">', options),
    )
