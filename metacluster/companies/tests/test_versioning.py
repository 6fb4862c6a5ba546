"""Specification of optimistic locking (metacluster.versioning), on companies: two people
editing the same record never silently overwrite each other."""

import pytest
from django.db import IntegrityError, transaction

from metacluster.companies.models import Company
from metacluster.versioning import STALE_MESSAGE, StaleEdit, VersionedModelForm


class CompanyForm(VersionedModelForm):
    class Meta:
        model = Company
        fields = ["name", "country", "town"]


@pytest.fixture
def alpha(db):
    return Company.objects.create(name="Alpha Fictional AB", country="SE", town="Kista")


def stored(company) -> Company:
    return Company.objects.get(pk=company.pk)


# --- save_versioned ---------------------------------------------------------------------------


def test_a_new_record_starts_at_version_1(alpha):
    assert stored(alpha).version == 1


def test_save_versioned_with_the_current_version_saves_and_bumps_it(alpha):
    alpha.town = "Lund"

    alpha.save_versioned(1)

    assert (stored(alpha).town, stored(alpha).version, alpha.version) == ("Lund", 2, 2)


def test_save_versioned_saves_a_new_record(db):
    company = Company(name="Fresh Fictional AB", country="SE")

    company.save_versioned(1)

    assert (stored(company).name, stored(company).version) == ("Fresh Fictional AB", 1)


@pytest.mark.parametrize(
    "expected_version",
    [
        1,  # the version before someone else saved
        3,  # a version from the future (a tampered form)
        0,  # a version that never existed
    ],
)
def test_save_versioned_with_a_stale_version_raises_and_leaves_the_row_unchanged(
    alpha, expected_version
):
    stored(alpha).save_versioned(1)  # someone else saves: now at version 2
    alpha.town = "Overwritten"

    with pytest.raises(StaleEdit):
        alpha.save_versioned(expected_version)

    row = stored(alpha)
    assert (row.town, row.version) == ("Kista", 2)


def test_of_two_editors_of_the_same_version_the_second_save_fails(alpha):
    first, second = stored(alpha), stored(alpha)
    first.town, second.town = "Lund", "Malmö"

    first.save_versioned(first.version)
    with pytest.raises(StaleEdit):
        second.save_versioned(second.version)

    row = stored(alpha)
    assert (row.town, row.version) == ("Lund", 2)


def test_the_second_editor_can_save_after_reloading(alpha):
    first, second = stored(alpha), stored(alpha)
    first.town = "Lund"
    first.save_versioned(first.version)

    second.refresh_from_db()
    second.town = "Malmö"
    second.save_versioned(second.version)

    assert (stored(alpha).town, stored(alpha).version) == ("Malmö", 3)


def test_the_stale_message_tells_the_user_what_to_do(alpha):
    stored(alpha).save_versioned(1)

    with pytest.raises(StaleEdit, match="Reload the page"):
        alpha.save_versioned(1)


def test_a_failed_save_leaves_the_instance_at_the_stored_version(alpha):
    Company.objects.create(name="Namesake", country="SE", registry_code="5560000001")
    alpha.registry_code = "5560000001"  # taken: the save fails in the database

    with pytest.raises(IntegrityError), transaction.atomic():
        alpha.save_versioned(alpha.version)

    assert alpha.version == stored(alpha).version


# --- VersionedModelForm -----------------------------------------------------------------------


def post(company: Company, version: int, **changes) -> dict:
    return {
        "name": company.name,
        "country": company.country,
        "town": company.town,
        "version": str(version),
        **changes,
    }


def test_the_form_carries_the_version_it_was_loaded_at(alpha):
    assert CompanyForm(instance=alpha)["version"].initial == 1


def test_the_form_saves_an_edit_of_the_current_version(alpha):
    form = CompanyForm(post(alpha, 1, town="Lund"), instance=stored(alpha))

    assert form.is_valid(), form.errors
    form.save()

    assert (stored(alpha).town, stored(alpha).version) == ("Lund", 2)


def test_the_form_reports_a_stale_edit_as_a_form_error(alpha):
    # Opened at version 1; someone else saved before it was submitted.
    loaded_at = alpha.version
    someone_else = stored(alpha)
    someone_else.town = "Malmö"
    someone_else.save_versioned(someone_else.version)

    form = CompanyForm(post(alpha, loaded_at, town="Lund"), instance=stored(alpha))

    assert not form.is_valid()
    assert form.non_field_errors() == [str(STALE_MESSAGE)]
    assert form.has_error("__all__", code="stale")
    assert (stored(alpha).town, stored(alpha).version) == ("Malmö", 2)


def test_a_save_racing_past_validation_still_refuses_to_overwrite(alpha):
    # Both forms validate against version 1; the slower one must not win silently.
    first = CompanyForm(post(alpha, 1, town="Lund"), instance=stored(alpha))
    second = CompanyForm(post(alpha, 1, town="Malmö"), instance=stored(alpha))
    assert first.is_valid() and second.is_valid()

    first.save()
    with pytest.raises(StaleEdit):
        second.save()

    assert (stored(alpha).town, stored(alpha).version) == ("Lund", 2)


def test_the_form_creates_a_new_record_without_a_version(db):
    form = CompanyForm(
        {"name": "Fresh Fictional AB", "country": "SE", "town": ""}, instance=Company()
    )

    assert form.is_valid(), form.errors
    company = form.save()

    assert stored(company).version == 1
