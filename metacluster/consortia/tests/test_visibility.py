"""What an SME user sees of its consortium partners: their public profile (name, country,
role, capabilities), never their people, contacts, notes or records."""

import pytest

from metacluster.companies.models import Contact, Note
from metacluster.consortia import workflows

from .test_views import url

pytestmark = pytest.mark.django_db


def test_an_sme_sees_its_partners_public_profile_only(
    log_in, advisor, sme_user, need, programme, company, third_company, partner_org
):
    Contact.objects.create(
        company=third_company, name="Piret Partner", email="piret@example.ee",
        lawful_basis="legitimate_interest",
    )  # fmt: skip
    Note.objects.create(company=third_company, organisation=partner_org, text="Slow payer")
    advisor.first_name, advisor.last_name = "Ada", "Adviser"
    advisor.save()
    [proposal] = workflows.propose(need, alternatives=1)
    workflows.invite(proposal, version=proposal.version)
    workflows.respond(proposal.members.get(company=third_company), accept=True, by=advisor)

    client = log_in(sme_user)
    page = client.get(url(programme, f"proposals/{proposal.pk}/")).content.decode()
    assert third_company.name in page and "FI" in page  # name and country
    for private in ("Piret Partner", "piret@example.ee", "Slow payer", "1234567-8", "Ada Adviser"):
        assert private not in page
    assert f"/companies/{third_company.pk}/" not in page
    assert client.get(f"/companies/{third_company.pk}/").status_code == 404
