"""The events API: the same visibility as the pages, one error shape."""

from metacluster.events import workflows
from metacluster.events.models import Event
from metacluster.testing import assert_error, ids, token_client


def test_staff_list_their_programme_s_events_outsiders_see_none(event, manager, outsider):
    assert ids(token_client(manager).get("/api/v1/events")) == [event.pk]
    assert ids(token_client(outsider).get("/api/v1/events")) == []
    assert_error(token_client(outsider).get(f"/api/v1/events/{event.pk}"), 404)


def test_participants_filter_by_country_and_type(event, manager, sme_participant, buyer):
    client = token_client(manager)
    assert ids(client.get(f"/api/v1/events/{event.pk}/participants?country=cn")) == [buyer.pk]
    assert ids(client.get(f"/api/v1/events/{event.pk}/participants?kind=sme")) == [
        sme_participant.pk
    ]


def test_an_sme_user_requests_as_its_company_and_sees_only_its_own_requests(
    event, sme_user, sme_participant, other_participant, buyer
):
    private = workflows.send_request(other_participant, buyer, message="Private")
    client = token_client(sme_user)
    response = client.post(
        f"/api/v1/events/{event.pk}/requests",
        {"recipient": buyer.pk, "message": "Hello"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    mine = response.json()
    assert mine["sender_id"] == sme_participant.pk and mine["status"] == "pending"
    assert ids(client.get(f"/api/v1/events/{event.pk}/requests")) == [mine["id"]]
    # Answering someone else's request: not even visible.
    answer = client.post(
        f"/api/v1/events/{event.pk}/requests/{private.pk}/answer",
        {"accept": True},
        content_type="application/json",
    )
    assert_error(answer, 404)
    # Nor may it schedule the event.
    schedule = client.post(
        f"/api/v1/events/{event.pk}/schedule", {}, content_type="application/json"
    )
    assert_error(schedule, 403)


def test_a_request_to_a_participant_of_another_event_is_a_field_error(
    event, sme_user, sme_participant, programme
):
    elsewhere = Event.objects.create(programme=programme, title="Other").participants.create(
        kind="buyer", organisation="X", email="x@example.org", country="CN"
    )
    response = token_client(sme_user).post(
        f"/api/v1/events/{event.pk}/requests",
        {"recipient": elsewhere.pk},
        content_type="application/json",
    )
    assert_error(response, 400, "recipient")


def test_organisers_answer_schedule_and_participants_see_the_agenda_in_both_time_zones(
    event, manager, sme_user, sme_participant, buyer
):
    request = workflows.send_request(sme_participant, buyer)
    staff = token_client(manager)
    answered = staff.post(
        f"/api/v1/events/{event.pk}/requests/{request.pk}/answer",
        {"accept": True},
        content_type="application/json",
    )
    assert answered.json()["status"] == "accepted"
    stats = staff.post(
        f"/api/v1/events/{event.pk}/schedule", {"time_limit": 1}, content_type="application/json"
    ).json()
    assert stats["scheduled"] == 1 and stats["upper_bound"] == 1
    (meeting,) = staff.get(f"/api/v1/events/{event.pk}/meetings").json()["items"]
    assert meeting["uid"].endswith("@metacluster") and meeting["sequence"] == 0

    sme = token_client(sme_user)
    assert sme.get(f"/api/v1/events/{event.pk}/agenda").json() == []  # not published yet
    Event.objects.filter(pk=event.pk).update(agenda_status="final")
    (item,) = sme.get(f"/api/v1/events/{event.pk}/agenda").json()
    assert item["their_time_zone"] == "Asia/Shanghai"
    assert item["their_start"].endswith("+08:00")
    assert item["my_start"][-6:] in ("+01:00", "+02:00")


def test_schedule_answers_with_the_outcome_by_default_and_with_a_job_in_the_background(
    event, manager, sme_participant, buyer
):
    from metacluster.jobs.models import Job

    workflows.answer_request(workflows.send_request(sme_participant, buyer), None, accept=True)
    staff = token_client(manager)
    url = f"/api/v1/events/{event.pk}/schedule"

    done = staff.post(url, {"time_limit": 1}, content_type="application/json")
    assert done.status_code == 200 and done.json()["scheduled"] == 1  # the contract, unchanged
    assert not Job.objects.exists()

    queued = staff.post(
        f"{url}?background=true", {"time_limit": 2}, content_type="application/json"
    )
    assert queued.status_code == 202, queued.content
    job = queued.json()
    assert job["kind"] == "events.schedule_all" and job["state"] in ("queued", "running", "done")
    stored = Job.objects.get(pk=job["id"])
    assert stored.params == {"event": event.pk, "time_limit": 2.0}
    polled = staff.get(f"/api/v1/jobs/{job['id']}").json()
    assert polled["state"] == "done" and polled["progress"] == 1
    assert polled["result"]["scheduled"] == 1


def test_only_organisers_schedule_in_the_background_and_only_they_see_the_job(
    event, manager, sme_user, sme_participant, outsider
):
    from metacluster.jobs.models import Job

    url = f"/api/v1/events/{event.pk}/schedule?background=true"
    sme = token_client(sme_user).post(url, {}, content_type="application/json")
    assert_error(sme, 403)
    assert_error(token_client(outsider).post(url, {}, content_type="application/json"), 404)
    assert not Job.objects.exists()
    job = token_client(manager).post(url, {}, content_type="application/json").json()
    assert_error(token_client(outsider).get(f"/api/v1/jobs/{job['id']}"), 404)
    assert_error(token_client(sme_user).get(f"/api/v1/jobs/{job['id']}"), 404)
