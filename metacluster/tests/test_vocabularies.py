"""Data vocabularies in the reader's language: countries from CLDR, size classes, match
factors, and programme-defined names with optional per-language labels."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from metacluster.countries import CountryField, country_choices, country_name, region_name


@pytest.mark.parametrize(
    "language, germany",
    [("en", "Germany"), ("sv", "Tyskland"), ("fi", "Saksa"), ("et", "Saksamaa"), ("lv", "Vācija")],
)
def test_country_names_come_from_cldr_in_every_language(language, germany):
    assert country_name("DE", language) == germany
    assert country_name("DEU", language) == germany  # alpha-3 too
    with translation.override(language):
        assert dict(country_choices())["DE"] == germany


def test_country_choices_follow_the_active_language_and_are_sorted_by_name():
    with translation.override("fi"):
        names = [name for _code, name in country_choices()]
    assert names == sorted(names, key=str.casefold)
    assert "Saksa" in names


def test_an_unknown_code_is_shown_as_it_is():
    assert country_name("ZZ") == "ZZ"
    assert country_name("") == ""


def test_regions_are_named_by_cldr():
    assert region_name("Europe", "fi") == "Eurooppa"
    assert region_name("Atlantis", "fi") == "Atlantis"


def test_a_companys_country_is_displayed_in_the_readers_language(company):
    company.country = "DE"
    with translation.override("sv"):
        assert company.get_country_display() == "Tyskland"


@pytest.mark.parametrize(
    "model, field",
    [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, CountryField)
    ],
)
def test_every_country_field_shows_the_name_in_the_readers_language(model, field):
    record = model(**{field: "FI"})
    with translation.override("et"):
        assert getattr(record, f"get_{field}_display")() == "Soome"
    assert model._meta.get_field(field).max_length == 2


def test_country_fields_are_stored_as_plain_two_letter_columns():
    # Migrations see a CharField: the faster display needs no schema change.
    name, path, args, kwargs = CountryField("country").deconstruct()
    assert path == "django.db.models.CharField"
    assert kwargs["max_length"] == 2 and kwargs["choices"] is country_choices


def test_size_classes_have_names():
    with translation.override("en"):
        text = Template("{{ 'micro'|size_class }} / {{ ''|size_class }}").render(Context())
    assert text == "micro (under 10) / "


def test_match_factors_have_names():
    text = Template("{% load matchmaking_tags %}{{ 'capability'|factor }}").render(Context())
    assert text == "shared capabilities"


def test_an_indicator_shows_its_label_in_the_readers_language_and_falls_back(nonfin_indicator):
    nonfin_indicator.translations = {"sv": {"name": "Företag med icke-finansiellt stöd"}}
    nonfin_indicator.full_clean()
    assert nonfin_indicator.translated("name", "sv") == "Företag med icke-finansiellt stöd"
    assert nonfin_indicator.translated("name", "sv-fi") == "Företag med icke-finansiellt stöd"
    assert nonfin_indicator.translated("name", "fi") == nonfin_indicator.name  # no label: fallback
    with translation.override("sv"):
        rendered = Template('{{ i|translated:"name" }}').render(Context({"i": nonfin_indicator}))
    assert rendered == "Företag med icke-finansiellt stöd"


def test_a_common_unit_is_translated_by_the_catalogue_when_no_label_is_given(nonfin_indicator):
    assert nonfin_indicator.unit == "companies"
    with translation.override("en"):
        assert nonfin_indicator.translated("unit") == "companies"


@pytest.mark.parametrize(
    "translations, problem",
    [
        ({"de": {"name": "Unternehmen"}}, "not one of the platform's languages"),
        ({"sv": {"target": "3"}}, "cannot be translated"),
        ({"sv": {"name": "  "}}, "is empty"),
        ({"sv": {"name": "x" * 201}}, "longer than 200"),
        ({"sv": "Företag"}, "as an object"),
        (["sv"], "object of languages"),
    ],
)
def test_bad_labels_are_refused_with_a_clear_error(nonfin_indicator, translations, problem):
    nonfin_indicator.translations = translations
    with pytest.raises(ValidationError) as error:
        nonfin_indicator.full_clean()
    assert problem in str(error.value.message_dict["translations"])


def test_services_and_capabilities_take_labels_too(coaching, programme):
    from metacluster.matchmaking.models import Capability

    coaching.translations = {"fi": {"name": "Valmennus"}}
    coaching.full_clean()
    coaching.save()
    capability = Capability(
        programme=programme, code="water", name="Water", translations={"lv": {"name": "Ūdens"}}
    )
    capability.full_clean()
    assert coaching.translated("name", "fi") == "Valmennus"
    assert capability.translated("name", "lv") == "Ūdens"
