from metacluster.core.scouting import (
    Company,
    Profile,
    Record,
    clean_row,
    find_duplicates,
    guess_mapping,
    legal_form_of,
    name_key,
    precision_recall,
    recognise_layout,
    score,
)


def test_names_lose_legal_form_case_diacritics_and_punctuation():
    assert name_key("Põhja Tarkvara OÜ") == name_key("POHJA-TARKVARA o.ü.") == "pohja tarkvara"
    assert name_key("Nordic Data AB (publ)") == "nordic data"
    assert name_key("SIA Rīgas Dati") == "rigas dati"
    assert name_key("Oy Ab") == "oy ab"  # a name made only of legal forms keeps them
    assert legal_form_of("Fibre Valley Oy") == "oy"


def test_duplicates_by_code_then_vat_then_name_and_town():
    records = [
        Record(1, "EE", "Põhja Tarkvara OÜ", "Tallinn", "12417834"),
        Record(2, "EE", "Pohja Tarkvara", "Tallinn", "12417834"),
        Record(3, "SE", "Nordic Data AB", "Kista", vat_number="SE556012579001"),
        Record(4, "SE", "Nordisk Data", "Stockholm", vat_number="SE556012579001"),
        Record(5, "FI", "Helsingin Ohjelmisto Oy", "Helsinki"),
        Record(6, "FI", "HELSINGIN OHJELMISTO", "helsinki"),
        Record(7, "FI", "Helsingin Ohjelmisto Oy", "Espoo"),  # another town: not matched
        Record(8, "EE", "Pohja Tarkvara", "Tallinn", "10000007"),  # another code: not matched
    ]
    matches = {m.pair: m.reason for m in find_duplicates(records)}
    assert matches == {(1, 2): "registry_code", (3, 4): "vat_number", (5, 6): "name_town"}


def test_a_typo_is_a_likely_duplicate_but_a_different_word_is_not():
    records = [
        Record(1, "LV", "Baltijas Programmatura SIA", "Riga"),
        Record(2, "LV", "Baltijas Programatura", "Riga"),
        Record(3, "LV", "Baltijas Metāls", "Riga"),
    ]
    assert [m.pair for m in find_duplicates(records)] == [(1, 2)]


def test_precision_and_recall():
    assert precision_recall([(1, 2), (3, 4)], [(1, 2), (5, 6)]) == (0.5, 0.5)


def test_each_criterion_explains_its_points():
    profile = Profile(sector_codes=("62",), keywords=("cloud", "ai"), max_employees=30)
    company = Company(
        nace_codes=("62.01",), employees=12, founded_year=2015, turnover=120, turnover_previous=100,
        website="https://x.ee", description="Cloud software sold abroad", engagements=0,
    )  # fmt: skip
    result = score(company, profile, year=2026)
    points = {c.key: c.points for c in result.criteria}
    assert points == {"sector": 30, "size": 20, "age": 10, "growth": 15, "export": 10,
                      "keywords": 10, "website": 5, "engagement": 0}  # fmt: skip
    assert result.total == 100 == profile.maximum
    why = {c.key: c.explanation for c in result.criteria}
    assert "62.01" in why["sector"] and "+20%" in why["growth"] and "abroad" in why["export"]


def test_a_big_unknown_company_scores_low_and_says_why():
    result = score(Company(employees=900, engagements=2), Profile(sector_codes=("J",)), year=2026)
    why = {c.key: c.explanation for c in result.criteria}
    assert result.total == -10
    assert why["size"] == "900 employees, outside 1-250"
    assert why["sector"] == "no activity code known"


def test_estonian_register_layout_is_recognised():
    headers = ["nimi", "ariregistri_kood", "ettevotja_oiguslik_vorm", "kmkr_nr",
               "ettevotja_staatus", "ettevotja_esmakande_kpv", "ettevotja_aadress",
               "asukoht_ettevotja_aadressis", "indeks_ettevotja_aadressis"]  # fmt: skip
    assert recognise_layout(headers) == "ee-ariregister"
    assert guess_mapping(headers)["registry_code"] == "ariregistri_kood"


def test_mapping_is_guessed_from_headers_in_several_languages():
    assert guess_mapping(["Företagsnamn", "Organisationsnummer", "Ort", "Anställda", "SNI"]) == {
        "name": "Företagsnamn", "registry_code": "Organisationsnummer", "town": "Ort",
        "employees": "Anställda", "nace_codes": "SNI",
    }  # fmt: skip


def check(**raw):
    return clean_row(7, raw, default_country="EE", year=2026)


def test_a_good_row_is_cleaned():
    row, errors = check(name="Põhja Tarkvara OÜ", registry_code="12417834", vat_number="100931558",
                        nace_codes="62011", employees="12", founded="04.03.2015",
                        town="Tallinn, Kesklinna linnaosa", website="pohja.ee")  # fmt: skip
    assert errors == []
    assert row.values["vat_number"] == "EE100931558"
    assert row.values["nace_codes"] == ["62.01"]
    assert row.values["founded_year"] == 2015 and row.values["town"] == "Tallinn"
    assert row.values["website"] == "https://pohja.ee" and row.values["legal_form"] == "OU"


def test_each_error_kind_is_reported_with_its_line_and_field():
    cases = {
        "checksum": dict(name="A", registry_code="12417835"),
        "nace": dict(name="A", nace_codes="99.99"),
        "vat": dict(name="A", vat_number="EE12"),
        "employees": dict(name="A", employees="-3"),
        "date": dict(name="A", founded="2099"),
        "required": dict(name=""),
        "encoding": dict(name="P\ufffdhja"),
        "country": dict(name="A", country="XX"),
    }
    for kind, raw in cases.items():
        row, errors = check(**raw)
        assert row is None, kind
        assert [(e.line, e.kind) for e in errors] == [(7, kind)], (kind, errors)
    _row, errors = check(name="A", employees="12.5")
    assert "not a possible head count" in errors[0].message


def test_a_reason_is_a_code_with_its_values_for_any_language_to_word():
    result = score(Company(employees=900, founded_year=2025), Profile(), year=2026)
    by_key = {c.key: c for c in result.criteria}
    assert (by_key["size"].reason, by_key["size"].params) == (
        "size_out",
        {"employees": 900, "min": 1, "max": 250},
    )
    assert (by_key["age"].reason, by_key["age"].params) == (
        "age_young",
        {"founded": 2025, "min": 2},
    )
    assert result.as_dict()["criteria"][0] == {
        "key": "size", "points": 0, "max": 20, "reason": "size_out",
        "params": {"employees": 900, "min": 1, "max": 250}, "why": "900 employees, outside 1-250",
    }  # fmt: skip
