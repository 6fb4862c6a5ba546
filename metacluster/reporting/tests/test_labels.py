"""Reports in the reader's language: a programme's own names by their labels, with fallback;
a submitted report keeps the names it was submitted with."""

from datetime import date

from django.test import Client

from metacluster.reporting.figures import submit_report


def client_in(user, language) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def test_a_draft_period_shows_the_indicator_in_swedish(periods, manager, nonfin_indicator):
    nonfin_indicator.translations = {"sv": {"name": "Företag med stöd", "unit": "företag"}}
    nonfin_indicator.save()
    page = client_in(manager, "sv").get("/reporting/tep/periods/1/").text
    assert "Företag med stöd" in page and "företag" in page
    assert "SMEs receiving non-financial support" not in page


def test_a_submitted_report_keeps_the_name_it_was_submitted_with(
    periods, manager, nonfin_indicator
):
    submit_report(periods[0], manager)
    nonfin_indicator.translations = {"sv": {"name": "Företag med stöd"}}
    nonfin_indicator.save()
    page = client_in(manager, "sv").get("/reporting/tep/periods/1/").text
    assert "SMEs receiving non-financial support" in page


def test_the_partner_view_lists_services_in_the_readers_language(
    periods, advisor, partner_org, training, company, deliver
):
    deliver(training, company, date(2020, 3, 2))
    training.translations = {"fi": {"name": "Vientityöpaja"}}
    training.save()
    page = client_in(advisor, "fi").get(f"/reporting/tep/partners/{partner_org.pk}/").text
    assert "Vientityöpaja" in page
    page = client_in(advisor, "sv").get(f"/reporting/tep/partners/{partner_org.pk}/").text
    assert "Export workshop" in page
