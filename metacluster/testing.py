"""Helpers shared by the API tests: a client with a token, and the API's one error shape."""

from django.test import Client

from metacluster.accounts.models import ApiToken


def token_client(user) -> Client:
    _token, key = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def assert_error(response, status: int, field: str | None = None) -> dict:
    """The response has this status and the error shape, naming `field` when given."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) <= {"error", "fields"}
    assert isinstance(body["error"], str) and body["error"]
    if field is not None:
        assert field in body["fields"], body
    return body


def ids(response) -> list[int]:
    """The ids of a list response's items, in order."""
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]
