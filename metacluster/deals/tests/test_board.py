"""The deal pipeline board: columns per stage with counts and values, one click to move a deal
on, filters that say when they cannot apply, and a fixed cost in queries."""

from metacluster.conftest import PASSWORD
from metacluster.deals.models import Deal


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def deal(programme, company, organisation, **fields):
    values = {"market": "DE", "counterpart": "Berlin buyer", "value": 1000} | fields
    return Deal.objects.create(programme=programme, company=company, partner=organisation, **values)


def test_columns_count_and_sum_their_deals(client, manager, programme, company, lead_org):
    deal(programme, company, lead_org, value=1000)
    deal(programme, company, lead_org, value=2500, counterpart="Munich buyer")
    deal(programme, company, lead_org, stage="meeting", value=400, counterpart="Oslo buyer")
    columns = {
        c["stage"]: c for c in login(client, manager).get("/deals/board/").context["columns"]
    }
    assert (columns["lead"]["count"], columns["lead"]["value"]) == (2, 3500)
    assert (columns["meeting"]["count"], columns["meeting"]["value"]) == (1, 400)
    assert columns["won"]["count"] == 0


def test_one_click_moves_a_deal_to_the_next_stage_and_back_to_the_board(
    client, manager, programme, company, lead_org
):
    lead = deal(programme, company, lead_org)
    response = login(client, manager).post(
        f"/deals/{lead.pk}/move/",
        {"stage": "meeting", "version": lead.version, "next": "/deals/board/?programme=tep"},
    )
    assert response["Location"] == "/deals/board/?programme=tep"
    lead.refresh_from_db()
    assert lead.stage == "meeting" and lead.version == 2


def test_a_move_based_on_an_old_version_changes_nothing(
    client, manager, programme, company, lead_org
):
    lead = deal(programme, company, lead_org)
    login(client, manager).post(f"/deals/{lead.pk}/move/", {"stage": "meeting", "version": 0})
    lead.refresh_from_db()
    assert lead.stage == "lead"


def test_a_stage_that_needs_more_opens_the_form_with_the_reason(
    client, manager, programme, company, lead_org
):
    pilot = deal(programme, company, lead_org, stage="pilot")
    response = login(client, manager).post(
        f"/deals/{pilot.pk}/move/", {"stage": "agreement", "version": pilot.version}
    )
    assert response["Location"].startswith(f"/deals/{pilot.pk}/edit/?next=")
    pilot.refresh_from_db()
    assert pilot.stage == "pilot"


def test_a_viewer_sees_the_board_but_cannot_move(client, viewer, programme, company, lead_org):
    lead = deal(programme, company, lead_org)
    client = login(client, viewer)
    assert "→ Meeting" not in client.get("/deals/board/").text
    response = client.post(f"/deals/{lead.pk}/move/", {"stage": "meeting", "version": 1})
    assert response.status_code == 403


def test_an_outsider_neither_sees_nor_moves_the_deals(
    client, outsider, programme, company, lead_org
):
    lead = deal(programme, company, lead_org)
    client = login(client, outsider)
    assert "Berlin buyer" not in client.get("/deals/board/").text
    response = client.post(f"/deals/{lead.pk}/move/", {"stage": "meeting", "version": 1})
    assert response.status_code == 404


def test_filters_take_a_market_name_and_say_what_they_cannot_apply(
    client, manager, programme, company, lead_org
):
    deal(programme, company, lead_org, market="DE")
    deal(programme, company, lead_org, market="NO", counterpart="Oslo buyer")
    client = login(client, manager)
    page = client.get("/deals/board/", {"market": "norway"}).text
    assert "Oslo buyer" in page and "Berlin buyer" not in page
    page = client.get("/deals/board/", {"market": "Atlantis", "programme": "nope"}).text
    assert "No country is called “Atlantis”" in page and "No programme “nope”" in page


def test_the_only_programme_is_preselected(client, manager, programme):
    assert login(client, manager).get("/deals/board/").context["chosen"] == "tep"


def test_the_board_costs_the_same_queries_for_few_and_many_deals(
    client, manager, programme, company, lead_org, django_assert_max_num_queries
):
    client = login(client, manager)
    for stage in ("lead", "meeting", "pilot"):
        deal(programme, company, lead_org, stage=stage)
    with django_assert_max_num_queries(40) as few:
        client.get("/deals/board/")
    for i in range(30):
        deal(programme, company, lead_org, stage=("lead", "meeting", "pilot")[i % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/deals/board/").status_code == 200
