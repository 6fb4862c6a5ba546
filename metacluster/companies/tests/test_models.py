"""Specification of companies, contacts and engagements: their rules and stage history."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from metacluster.companies.choices import LawfulBasis, Stage
from metacluster.companies.models import (
    Company,
    Contact,
    Engagement,
    StageChange,
    engage,
    validate_nace_codes,
)
from metacluster.versioning import StaleEdit

JAN = datetime(2020, 1, 10, 9, 0, tzinfo=UTC)
MAR = datetime(2020, 3, 15, 14, 30, tzinfo=UTC)


@pytest.fixture
def newcomer(db):
    return Company.objects.create(name="Delta Fictional Oy", country="FI")


# --- engage -----------------------------------------------------------------------------------


def test_engage_records_the_first_stage_with_who_and_when(newcomer, programme, lead_org, manager):
    engagement = engage(newcomer, programme, lead_org, by=manager, at=JAN)

    assert (engagement.stage, engagement.partner, engagement.stage_changed_at) == (
        Stage.IDENTIFIED,
        lead_org,
        JAN,
    )
    change = engagement.history.get()
    assert (change.from_stage, change.to_stage, change.changed_by, change.changed_at) == (
        "",
        Stage.IDENTIFIED,
        manager,
        JAN,
    )


def test_engage_can_start_at_a_later_stage(newcomer, programme, lead_org):
    engagement = engage(newcomer, programme, lead_org, stage=Stage.ASSESSED, at=JAN)

    assert engagement.stage == Stage.ASSESSED
    assert [(c.from_stage, c.to_stage) for c in engagement.history.all()] == [("", "assessed")]


def test_engage_is_idempotent(newcomer, programme, lead_org, partner_org):
    first = engage(newcomer, programme, lead_org, at=JAN)

    # A second call, even with another partner and stage, returns the existing engagement as is.
    again = engage(newcomer, programme, partner_org, stage=Stage.SUPPORTED, at=MAR)

    assert again.pk == first.pk
    assert Engagement.objects.filter(company=newcomer).count() == 1
    assert StageChange.objects.filter(engagement=first).count() == 1
    again.refresh_from_db()
    assert (again.partner, again.stage, again.stage_changed_at) == (lead_org, "identified", JAN)


# --- move_to ----------------------------------------------------------------------------------


@pytest.fixture
def engagement(newcomer, programme, lead_org):
    return engage(newcomer, programme, lead_org, at=JAN)


def test_move_to_records_from_to_who_and_when(engagement, advisor):
    change = engagement.move_to(Stage.SUPPORTED, by=advisor, note="Coaching started", at=MAR)

    assert (change.from_stage, change.to_stage, change.changed_by, change.changed_at) == (
        Stage.IDENTIFIED,
        Stage.SUPPORTED,
        advisor,
        MAR,
    )
    assert change.note == "Coaching started"
    engagement.refresh_from_db()
    assert (engagement.stage, engagement.stage_changed_at) == (Stage.SUPPORTED, MAR)
    assert [str(c) for c in engagement.history.all()] == [
        "— → identified",
        "identified → supported",
    ]


def test_move_to_defaults_to_now(engagement):
    with time_machine.travel(datetime(2021, 5, 4, 8, 0, tzinfo=UTC), tick=False):
        change = engagement.move_to(Stage.CONTACTED)

    assert change.changed_at == datetime(2021, 5, 4, 8, 0, tzinfo=UTC)


def test_move_to_can_move_back(engagement):
    engagement.move_to(Stage.SUPPORTED, at=MAR)

    change = engagement.move_to(Stage.CONTACTED)

    assert (change.from_stage, change.to_stage) == ("supported", "contacted")


def test_move_to_bumps_the_version(engagement):
    before = engagement.version

    engagement.move_to(Stage.CONTACTED)

    engagement.refresh_from_db()
    assert engagement.version == before + 1


@pytest.mark.parametrize(
    "stage",
    [
        "won",  # a deal stage, not a pipeline stage
        "Supported",  # stages are case-sensitive
        "",  # nothing
        "identified",  # the stage it is already at
    ],
)
def test_move_to_rejects_a_bad_stage_and_changes_nothing(engagement, stage):
    with pytest.raises(ValidationError) as error:
        engagement.move_to(stage)

    assert list(error.value.error_dict) == ["stage"]
    engagement.refresh_from_db()
    assert (engagement.stage, engagement.stage_changed_at, engagement.version) == (
        Stage.IDENTIFIED,
        JAN,
        1,
    )
    assert engagement.history.count() == 1


def test_move_to_on_a_stale_engagement_records_no_history(engagement):
    # Someone else moved the engagement after this copy was loaded.
    Engagement.objects.get(pk=engagement.pk).move_to(Stage.CONTACTED, at=MAR)

    with pytest.raises(StaleEdit):
        engagement.move_to(Stage.SUPPORTED)

    engagement.refresh_from_db()
    assert engagement.stage == Stage.CONTACTED
    assert [c.to_stage for c in engagement.history.all()] == ["identified", "contacted"]


# --- Engagement.clean -------------------------------------------------------------------------


def test_an_engagements_partner_must_be_a_partner_of_the_programme(
    newcomer, programme, outsider_org
):
    engagement = Engagement(programme=programme, company=newcomer, partner=outsider_org)

    with pytest.raises(ValidationError) as error:
        engagement.full_clean()

    assert list(error.value.error_dict) == ["partner"]


@pytest.mark.parametrize("partner", ["lead_org", "partner_org"])
def test_any_partner_of_the_programme_can_be_responsible(newcomer, programme, partner, request):
    Engagement(
        programme=programme, company=newcomer, partner=request.getfixturevalue(partner)
    ).full_clean()


def test_a_company_is_engaged_once_per_programme(engagement, programme, partner_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(
            programme=programme, company=engagement.company, partner=partner_org
        )


# --- Company.clean ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "vat_number", "normalised"),
    [
        ("SE", "SE556000000001", "SE556000000001"),  # plain
        ("SE", "se 5560 0000 0001", "SE556000000001"),  # spaces and lower case are tidied
        ("GR", "EL123456789", "EL123456789"),  # Greece uses EL, not GR
        ("EE", "EE100000001", "EE100000001"),  # shortest realistic number
        ("SE", "", ""),  # a VAT number is optional
    ],
)
def test_company_accepts_a_vat_number_with_its_countrys_prefix(country, vat_number, normalised):
    company = Company(name="Alpha", country=country, vat_number=vat_number)

    company.clean()

    assert company.vat_number == normalised


@pytest.mark.parametrize(
    ("country", "vat_number"),
    [
        ("EE", "SE556000000001"),  # another country's prefix
        ("CY", "EL123456789"),  # the Greek prefix on a Cypriot company
        ("SE", "556000000001"),  # no prefix at all
        ("SE", "SE1"),  # too short
        ("SE", "SE5560000000012345"),  # too long
        ("SE", "SE556-000-0001"),  # hyphens are not part of a VAT number
        ("SE", "SE556000000001\n"),  # a trailing newline
    ],
)
def test_company_rejects_a_vat_number_that_does_not_fit_its_country(country, vat_number):
    company = Company(name="Alpha", country=country, vat_number=vat_number)

    with pytest.raises(ValidationError) as error:
        company.clean()

    assert list(error.value.error_dict) == ["vat_number"]


@pytest.mark.parametrize(
    "codes",
    [
        [],  # none
        ["J"],  # a section
        ["62"],  # a division
        ["62.0"],  # a group
        ["62.01", "63.11"],  # classes
    ],
)
def test_nace_codes_accept_rev2_codes(codes):
    validate_nace_codes(codes)


@pytest.mark.parametrize(
    "codes",
    [
        ["6201"],  # the dot is missing
        ["62.011"],  # too many digits
        ["62."],  # a dot with nothing after it
        ["j"],  # sections are capital letters
        ["V"],  # there is no section V
        ["62.01", "software"],  # one bad code spoils the list
        [62.01],  # a number, not a string
        "62.01",  # a string, not a list
        ["62.01\n"],  # a trailing newline
    ],
)
def test_nace_codes_reject_anything_else(codes):
    with pytest.raises(ValidationError):
        validate_nace_codes(codes)


def test_company_full_clean_reports_bad_nace_codes_on_their_field(db):
    company = Company(name="Alpha", country="SE", nace_codes=["6201"])

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert list(error.value.error_dict) == ["nace_codes"]


@time_machine.travel(datetime(2024, 6, 1, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(("year", "valid"), [(2024, True), (2025, False)])
def test_company_cannot_be_founded_in_the_future(year, valid):
    company = Company(name="Alpha", country="SE", founded_year=year)

    if valid:
        company.clean()
    else:
        with pytest.raises(ValidationError):
            company.clean()


@pytest.mark.parametrize(
    ("employees", "size_class"),
    [
        (None, ""),  # unknown
        (0, "micro"),  # a sole trader
        (9, "micro"),  # the largest micro
        (10, "small"),  # the smallest small
        (49, "small"),
        (50, "medium"),
        (249, "medium"),
        (250, "large"),  # no longer an SME
    ],
)
def test_size_class_follows_the_eu_head_count_bands(employees, size_class):
    assert Company(employees=employees).size_class == size_class


# --- registry code ----------------------------------------------------------------------------


def test_a_registry_code_is_unique_within_a_country(company):
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="Copy", country=company.country, registry_code="5560000001")


def test_full_clean_reports_a_duplicate_registry_code(company):
    duplicate = Company(name="Copy", country="SE", registry_code=company.registry_code)

    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_the_same_registry_code_may_exist_in_another_country(company):
    Company.objects.create(name="Namesake", country="FI", registry_code=company.registry_code)


def test_many_companies_may_have_no_registry_code(db):
    Company.objects.create(name="One", country="SE")
    Company.objects.create(name="Two", country="SE")

    assert Company.objects.filter(country="SE", registry_code="").count() == 2


# --- Contact ----------------------------------------------------------------------------------


def test_a_contact_kept_by_consent_needs_the_consent_date(company):
    contact = Contact(company=company, name="Anna", lawful_basis=LawfulBasis.CONSENT)

    with pytest.raises(ValidationError) as error:
        contact.full_clean()

    assert list(error.value.error_dict) == ["consent_given_at"]


def test_the_database_refuses_a_consent_contact_without_the_consent_date(company):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(company=company, name="Anna", lawful_basis=LawfulBasis.CONSENT)


def test_a_contact_with_consent_and_its_date_is_valid(company):
    Contact(
        company=company, name="Anna", lawful_basis=LawfulBasis.CONSENT, consent_given_at=JAN
    ).full_clean()


@pytest.mark.parametrize(
    "basis",
    [b for b in LawfulBasis.values if b != LawfulBasis.CONSENT],
)
def test_other_lawful_bases_need_no_consent_date(company, basis):
    contact = Contact(company=company, name="Anna", lawful_basis=basis)

    contact.full_clean()
    contact.save()
