"""What an SME user sees of the other participants of a B2B event: their public profile
(organisation, country, type, profile text, capabilities, offers and needs), never their
contact person, e-mail, notes, registry data or company records."""

import pytest

from metacluster.companies.models import Contact

from .test_views import login

pytestmark = pytest.mark.django_db


def test_an_sme_sees_another_participants_public_profile_only(
    event, sme_user, sme_participant, other_participant, other_company
):
    other_participant.contact_name = "Kadri Kontakt"
    other_participant.email = "kadri@example.ee"
    other_participant.profile = "Smart lighting controllers for municipalities."
    other_participant.save()
    Contact.objects.create(
        company=other_company, name="Kadri Kontakt", email="kadri@example.ee",
        lawful_basis="legitimate_interest",
    )  # fmt: skip
    client = login(sme_user)
    page = client.get(f"/events/{event.pk}/participants/{other_participant.pk}/").content.decode()
    assert other_company.name in page and "Smart lighting controllers" in page
    assert "Kadri Kontakt" not in page and "kadri@example.ee" not in page
    assert other_company.registry_code not in page
    assert client.get(f"/companies/{other_company.pk}/").status_code == 404
    listing = client.get(f"/events/{event.pk}/participants/").content.decode()
    assert "Kadri Kontakt" not in listing and "kadri@example.ee" not in listing


def test_organisers_see_the_contact_person(event, manager, other_participant):
    other_participant.contact_name = "Kadri Kontakt"
    other_participant.save()
    page = login(manager).get(f"/events/{event.pk}/participants/{other_participant.pk}/")
    assert "Kadri Kontakt" in page.content.decode()
