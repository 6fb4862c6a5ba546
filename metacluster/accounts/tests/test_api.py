"""The API's front door: authentication, the error shape, /me, the schema and create-token."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from metacluster.accounts.models import ApiToken, hash_key
from metacluster.testing import assert_error, token_client

# --- Authentication ----------------------------------------------------------------------------


def test_it_refuses_anonymous_requests(programme):
    response = Client().get("/api/v1/programmes")
    assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_auth_works_and_records_last_use(manager, programme):
    token, key = ApiToken.issue(manager, "script")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "manager"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_revoked_token(manager, programme):
    token, key = ApiToken.issue(manager, "script")
    token.revoked_at = timezone.now()
    token.save()
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/programmes")
    assert_error(response, 401)


def test_a_bad_token_is_refused_even_with_a_session(manager, programme):
    # A script holding a revoked key must learn so, not silently ride on a browser session.
    client = Client(headers={"Authorization": "Bearer mc_not-a-real-key"})
    client.force_login(manager)
    assert_error(client.get("/api/v1/me"), 401)


def test_it_refuses_the_token_of_an_inactive_user(manager, programme):
    client = token_client(manager)
    manager.is_active = False
    manager.save()
    assert_error(client.get("/api/v1/me"), 401)


def test_session_auth_works(manager, programme):
    client = Client()
    client.force_login(manager)
    assert client.get("/api/v1/me").json()["role"] == "manager"


def test_session_auth_enforces_csrf_on_unsafe_methods(manager, programme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    body = {
        "code": "NEW",
        "name": "New",
        "definition": {"kind": "stage_reached", "stage": "assessed"},
    }
    url = f"/api/v1/programmes/{programme.pk}/indicators"
    response = client.post(url, body, content_type="application/json")
    assert "CSRF" in assert_error(response, 403)["error"]
    assert not programme.indicators.filter(code="NEW").exists()

    # With the token from the cookie, as the UI's JavaScript sends it, the request is accepted.
    client.cookies.load({"csrftoken": "a" * 32})
    response = client.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": "a" * 32}
    )
    assert response.status_code == 201, response.content


def test_token_auth_needs_no_csrf_token(manager, programme):
    _token, key = ApiToken.issue(manager, "script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    body = {
        "code": "NEW",
        "name": "New",
        "definition": {"kind": "stage_reached", "stage": "assessed"},
    }
    response = client.post(
        f"/api/v1/programmes/{programme.pk}/indicators", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content


# --- /me ---------------------------------------------------------------------------------------


def test_me_describes_a_staff_user(advisor, programme, outsider_programme):
    body = token_client(advisor).get("/api/v1/me").json()
    assert body["role"] == "advisor"
    assert body["organisation"]["name"] == "Tallinn Test Park"
    assert body["company"] is None
    assert body["time_zone"] == advisor.time_zone
    # Only the advisor's own programme, in which they record but do not manage.
    assert body["programmes"] == [
        {"id": programme.pk, "name": programme.name, "can_manage": False, "can_record": True}
    ]


def test_me_describes_an_sme_user(sme_user, company):
    body = token_client(sme_user).get("/api/v1/me").json()
    assert body["role"] == "sme"
    assert body["organisation"] is None
    assert body["company"] == {"id": company.pk, "name": company.name}
    assert all(not p["can_record"] for p in body["programmes"])


# --- Errors and the schema ---------------------------------------------------------------------


def test_unknown_paths_and_methods_use_the_error_shape(manager, programme):
    client = token_client(manager)
    assert_error(client.get("/api/v1/no-such-thing"), 404)
    assert_error(client.get("/api/v1/programmes/not-a-number"), 404)
    assert_error(client.get("/api/v1/deliveries/%0Anot-a-number"), 404)  # an encoded newline
    response = client.put("/api/v1/me")
    assert_error(response, 405)
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    "query",
    [
        "limit=abc",  # a string where a number is expected
        "limit=5.5",  # a number, but not a whole number
        "limit=1e2",
        "limit=5&limit=6",  # one value, given twice
        "limit=0",  # below the minimum
        "limit=100000",  # above the maximum page
        "offset=-1",
        "offset=99999999999999999999999999",  # would overflow the database driver
    ],
)
def test_it_refuses_bad_pagination(manager, programme, query):
    response = token_client(manager).get(f"/api/v1/programmes?{query}")
    body = assert_error(response, 400)
    assert set(body["fields"]) <= {"limit", "offset"}


def test_a_whole_number_written_with_a_point_zero_is_taken(manager, programme):
    # JSON Schema counts 5.0 as an integer, so clients generated from the schema may send it.
    response = token_client(manager).get("/api/v1/programmes?limit=5.0")
    assert response.status_code == 200
    assert response.json()["limit"] == 5


def test_lists_are_paginated(manager, programme, outsider_programme):
    client = token_client(manager)
    page = client.get("/api/v1/programmes?limit=1&offset=0").json()
    assert set(page) == {"count", "limit", "offset", "items"}
    assert len(page["items"]) == 1
    # Companies can number a million: their count is capped (a header says when), yet the
    # page has the same shape.
    response = client.get("/api/v1/companies?limit=1&offset=0")
    assert set(response.json()) == {"count", "limit", "offset", "items"}
    assert "X-Count-Capped" not in response


def test_openapi_document_lists_the_paths(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Metacluster API"
    paths = document["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/programmes",
        "/api/v1/programmes/{programme_id}/kpis",
        "/api/v1/programmes/{programme_id}/kpis/{code}/records",
        "/api/v1/companies/{company_id}/notes",
        "/api/v1/engagements/{engagement_id}/stage",
        "/api/v1/deliveries/attendance",
        "/api/v1/deals/{deal_id}",
        "/api/v1/consortia",
    ]:
        assert path in paths
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])
    # Every operation documents its answers, and every schema reference resolves.
    schemas = document["components"]["schemas"]
    for operations in paths.values():
        for operation in operations.values():
            assert operation["responses"]
            assert "400" in operation["responses"] or "404" in operation["responses"]

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas


# --- create-token ------------------------------------------------------------------------------


def test_create_token_prints_a_working_key_once(manager, programme):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", "manager", name="CRM sync", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=manager, name="CRM sync")
    assert token.key_hash == hash_key(key)
    assert key not in err.getvalue()
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me")
    assert response.json()["username"] == "manager"


def test_create_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("create_token", "nobody", name="x", stdout=io.StringIO())
    assert not ApiToken.objects.exists()
