"""Filling in the questionnaire, reading the result, requesting a recommended service, the
PDF report and the list pages."""

import re

import pytest

from metacluster.companies.models import Company, engage
from metacluster.readiness.models import Assessment
from metacluster.readiness.workflows import start_assessment
from metacluster.servicerequests.choices import RequestOrigin
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service

from .conftest import answers_of, finish


def form_data(assessment, answers, **extra):
    data = {"version": assessment.version, **extra}
    for item, value in answers.items():
        data[item] = "dk" if value is None else str(value)
    return data


def test_an_sme_starts_from_the_list_and_lands_on_the_questionnaire(client, sme_user, programme):
    client.force_login(sme_user)
    response = client.post("/readiness/new/", {"programme": programme.acronym})
    assessment = Assessment.objects.get()
    assert response.url == f"/readiness/{assessment.pk}/answer/"
    page = client.get(response.url)
    assert "C1" in page.text and "Don&#x27;t know" in page.text


def test_save_and_continue_later_keeps_partial_answers(client, sme_user, draft):
    client.force_login(sme_user)
    response = client.post(
        f"/readiness/{draft.pk}/answer/", form_data(draft, {"C1": 4, "C2": None}, save="1")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"C1": 4, "C2": None} and draft.is_draft
    page = client.get(f"/readiness/{draft.pk}/answer/")
    assert "2 of 35 answered" in page.text
    assert re.search(r'name="C1" value="4"[^>]*checked', page.text)
    assert re.search(r'name="C2" value="dk"[^>]*checked', page.text)


def test_the_list_marks_an_unfinished_assessment(client, sme_user, draft):
    client.force_login(sme_user)
    page = client.get("/readiness/")
    assert "unfinished" in page.text
    assert "Continue the assessment" in page.text


def test_finishing_with_unanswered_questions_flags_them_and_keeps_the_answers(
    client, sme_user, draft, instrument
):
    client.force_login(sme_user)
    answers = answers_of(instrument, 3)
    del answers["O2"]
    response = client.post(f"/readiness/{draft.pk}/answer/", form_data(draft, answers, finish="1"))
    assert response.status_code == 200
    assert response.context["form"].errors["O2"]
    draft.refresh_from_db()
    assert draft.is_draft and len(draft.answers) == 34
    # Answering the last one and finishing again works (the form carries the new version).
    response = client.post(
        f"/readiness/{draft.pk}/answer/",
        form_data(draft, {"O2": 1}, finish="1"),
    )
    assert response.status_code == 302
    assert not Assessment.objects.get(pk=draft.pk).is_draft


def test_a_stale_form_is_refused(client, sme_user, draft):
    client.force_login(sme_user)
    old = form_data(draft, {"C1": 1}, save="1")
    client.post(f"/readiness/{draft.pk}/answer/", form_data(draft, {"C1": 5}, save="1"))
    response = client.post(f"/readiness/{draft.pk}/answer/", old)
    assert "Someone else changed" in response.text
    draft.refresh_from_db()
    assert draft.answers["C1"] == 5


def test_the_result_page_shows_score_stage_chart_gaps_and_recommendations(
    client, sme_user, draft, instrument, readiness_service
):
    market = Service.objects.create(
        programme=draft.programme,
        provider=readiness_service.provider,
        kind=ServiceKind.MARKET_ANALYSIS,
        name="Market analysis Japan",
    )
    # Strong everywhere except market knowledge.
    finish(draft, answers_of(instrument, 5, C4=0, R5=0, R6=1), by=sme_user)
    client.force_login(sme_user)
    page = client.get(f"/readiness/{draft.pk}/")
    assert page.status_code == 200
    text = page.text
    assert '<svg class="radar"' in text
    assert "Active exporter" in text or "Committed exporter" in text
    gaps = [g["question"] for g in page.context["gaps"]]
    assert gaps[0].startswith("We know the demand")  # R5: weight 1.5, answered 0
    assert "Market analysis Japan" in text
    assert f"/readiness/{draft.pk}/request/{market.pk}/" in text
    assert "Organisational readiness" in text and "Product readiness" in text


def test_requesting_a_recommended_service_creates_a_readiness_request(
    client, sme_user, completed, training
):
    client.force_login(sme_user)
    response = client.post(f"/readiness/{completed.pk}/request/{training.pk}/")
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.service, request.company, request.origin) == (
        training,
        completed.company,
        RequestOrigin.READINESS,
    )
    assert "practical skills in international selling" in request.message
    # A second click does not ask twice.
    client.post(f"/readiness/{completed.pk}/request/{training.pk}/")
    assert ServiceRequest.objects.count() == 1


def test_a_service_of_another_programme_cannot_be_requested(
    client, sme_user, completed, outsider_programme, outsider_org
):
    foreign = Service.objects.create(
        programme=outsider_programme, provider=outsider_org, kind="training", name="Elsewhere"
    )
    client.force_login(sme_user)
    assert client.post(f"/readiness/{completed.pk}/request/{foreign.pk}/").status_code == 404


def test_a_reassessment_shows_the_change_per_dimension(
    client, sme_user, completed, instrument, programme, company
):
    again = start_assessment(programme, company, by=sme_user)
    finish(again, answers_of(instrument, 4), by=sme_user)
    client.force_login(sme_user)
    page = client.get(f"/readiness/{again.pk}/")
    rows = {d["id"]: d["change"] for d in page.context["dimensions"]}
    assert rows["offering"] == pytest.approx(40)  # from 40 to 80
    assert "+40" in page.text
    assert len(page.context["history"]) == 2


def test_the_position_needs_five_peers_and_shows_a_percentile(
    client, manager, completed, instrument, programme, lead_org
):
    client.force_login(manager)
    page = client.get(f"/readiness/{completed.pk}/")
    assert page.context["position"].percentile is None
    for n, value in enumerate([1, 1, 3, 3, 4]):
        peer = Company.objects.create(name=f"Peer {n}", country="SE", owner=lead_org)
        engage(peer, programme, lead_org)
        finish(
            start_assessment(programme, peer, by=manager), answers_of(instrument, value), by=manager
        )
    page = client.get(f"/readiness/{completed.pk}/")
    position = page.context["position"]
    assert position.peers == 5
    assert position.percentile == pytest.approx(40)  # above 1 and 1, below 3, 3 and 4
    assert "higher than that of 40 %" in page.text


def test_the_pdf_report_is_served_as_a_pdf(client, sme_user, completed):
    client.force_login(sme_user)
    response = client.get(f"/readiness/{completed.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")


def laid_out_text(box) -> str:
    """Every text in a WeasyPrint box tree, in reading order."""
    own = getattr(box, "text", "") or ""
    children = box.all_children() if hasattr(box, "all_children") else []
    return own + " ".join(laid_out_text(child) for child in children)


def test_the_pdf_report_lays_out_the_results_and_the_chart(completed, sme_user):
    from metacluster.readiness.report import report_document

    document = report_document(completed, sme_user, "en")
    assert 1 <= len(document.pages) <= 6
    text = " ".join(laid_out_text(page._page_box) for page in document.pages)
    for expected in [
        "Export readiness report",
        "Alpha Fictional AB",
        "Experimental exporter",
        "The three biggest gaps",
        "Management engagement",
    ]:
        assert expected in text, expected
    boxes = [document.pages[0]._page_box]
    kinds = set()
    while boxes:
        box = boxes.pop()
        kinds.add(type(box).__name__)
        boxes.extend(box.all_children() if hasattr(box, "all_children") else [])
    assert any("Replaced" in kind for kind in kinds), "the radar chart is drawn as an SVG image"


def test_the_report_html_has_the_chart_and_the_users_language(completed, sme_user):
    from django.template.loader import render_to_string
    from django.utils import translation

    from metacluster.readiness.report import result_context

    with translation.override("sv"):
        html = render_to_string("readiness/report.html", result_context(completed, sme_user, "sv"))
    assert '<html lang="sv">' in html
    assert "<svg" in html and "polygon" in html
    assert "Alpha Fictional AB" in html


def test_the_staff_list_shows_programme_figures_and_visible_assessments(
    client, manager, completed, programme
):
    client.force_login(manager)
    page = client.get(f"/readiness/?programme={programme.acronym}")
    assert "Alpha Fictional AB" in page.text
    assert page.context["summaries"][0]["summary"].assessed == 1


def test_a_manager_adopts_an_instrument_version(client, manager, programme):
    client.force_login(manager)
    response = client.post(
        f"/readiness/programmes/{programme.acronym}/instrument/", {"version": "2026-1"}
    )
    assert response.status_code == 302
    programme.refresh_from_db()  # the fixture's object may have looked for one before
    assert programme.readiness_instrument.version == "2026-1"


def test_an_advisor_starts_one_and_backdates_it(
    client, advisor, other_company, programme, instrument
):
    client.force_login(advisor)
    response = client.post(
        "/readiness/new/", {"programme": programme.pk, "company": other_company.pk}
    )
    assessment = Assessment.objects.get()
    assert response.url == f"/readiness/{assessment.pk}/answer/"
    response = client.post(
        response.url,
        form_data(assessment, answers_of(instrument, 2), finish="1", assessed_on="2021-03-01"),
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert str(assessment.assessed_on) == "2021-03-01"
    assert assessment.completed_by == advisor


def test_the_list_does_not_query_per_assessment(
    client, manager, programme, lead_org, instrument, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            peer = Company.objects.create(name=f"Listed {n}-{i}", country="SE", owner=lead_org)
            engage(peer, programme, lead_org)
            finish(
                start_assessment(programme, peer, by=manager), answers_of(instrument, 3), by=manager
            )

    client.force_login(manager)
    add(2)
    with django_assert_max_num_queries(20) as few:
        client.get("/readiness/")
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/readiness/")


def test_an_sme_discards_its_unfinished_assessment(client, sme_user, draft):
    client.force_login(sme_user)
    response = client.post(f"/readiness/{draft.pk}/discard/")
    assert response.status_code == 302
    assert not Assessment.objects.exists()


def test_a_completed_assessment_cannot_be_discarded(client, sme_user, completed):
    client.force_login(sme_user)
    assert client.post(f"/readiness/{completed.pk}/discard/").status_code == 403
    assert Assessment.objects.filter(pk=completed.pk).exists()


def test_another_partner_cannot_discard_a_shared_draft(client, advisor, draft):
    Assessment.objects.filter(pk=draft.pk).update(shared=True)
    client.force_login(advisor)
    assert client.post(f"/readiness/{draft.pk}/discard/").status_code == 403
    assert Assessment.objects.filter(pk=draft.pk).exists()
