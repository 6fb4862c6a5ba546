"""Pages: publish, match with reasons, interest, feedback, offers, import."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from metacluster.deals.models import Deal
from metacluster.matchmaking.models import Feedback, Offer, Opportunity


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_publishes_an_opportunity(programme, lead_org, manager, capabilities):
    response = browser(manager).post(
        "/matchmaking/opportunities/new/",
        {
            "programme": programme.pk,
            "partner": lead_org.pk,
            "kind": "tender",
            "title": "Water meters for Chengdu",
            "description": "Smart water meters with remote reading.",
            "country": "CN",
            "capabilities": [capabilities["water"].pk],
            "nace_codes": "26.51",
            "currency": "EUR",
            "language": "en",
            "visibility": "programme",
            "status": "published",
            "eligible_countries": "se, fi",
        },
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert opportunity.eligible_countries == ["SE", "FI"]
    assert opportunity.created_by == manager


def test_the_opportunity_page_lists_matches_with_their_reasons(opportunity, manager, company):
    page = browser(manager).get(f"/matchmaking/opportunities/{opportunity.pk}/").content.decode()
    assert company.name in page
    assert "Shared capabilities" in page and "parking" in page
    assert "IoT and sensors" in page  # the taxonomy's name, not its code


def test_an_sme_expresses_interest_from_the_page(opportunity, sme_user, company):
    client = browser(sme_user)
    page = client.get("/matchmaking/").content.decode()
    assert opportunity.title in page  # ranked for the SME
    client.post(f"/matchmaking/opportunities/{opportunity.pk}/interest/", {"message": "Hi"})
    assert Deal.objects.get(company=company).stage == "lead"
    page = client.get(f"/matchmaking/opportunities/{opportunity.pk}/").content.decode()
    assert 'id="interest-recorded"' in page


def test_an_sme_marks_an_opportunity_not_relevant(opportunity, sme_user, company):
    browser(sme_user).post(
        f"/matchmaking/opportunities/{opportunity.pk}/feedback/", {"verdict": "not_relevant"}
    )
    assert Feedback.objects.get().company == company
    assert opportunity.title not in browser(sme_user).get("/matchmaking/").content.decode()


def test_an_sme_adds_an_offer_for_its_own_company(programme, sme_user, company, capabilities):
    browser(sme_user).post(
        "/matchmaking/offers/new/",
        {
            "programme": programme.pk,
            "title": "Leak detection",
            "description": "Acoustic leak detection",
            "capabilities": [capabilities["water"].pk],
            "tags": "leaks, pipes",
        },
    )
    offer = Offer.objects.get()
    assert offer.company == company and offer.tags == ["leaks", "pipes"]


def test_a_stale_offer_edit_is_refused(offers, sme_user, programme):
    offer = offers[0]
    data = {
        "programme": programme.pk,
        "title": "New",
        "description": "",
        "tags": "",
        "version": offer.version,
    }
    Offer.objects.filter(pk=offer.pk).update(version=offer.version + 1)
    response = browser(sme_user).post(f"/matchmaking/offers/{offer.pk}/edit/", data)
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.title == "Parking sensors"


def test_the_import_page_shows_row_errors_and_saves_nothing(programme, manager, capabilities):
    upload = SimpleUploadedFile("o.csv", b"title,description,country\nA,B,XX\n")
    page = browser(manager).post(
        "/matchmaking/opportunities/import/", {"programme": programme.pk, "file": upload}
    )
    assert "Row 1" in page.content.decode()
    assert not Opportunity.objects.exists()
