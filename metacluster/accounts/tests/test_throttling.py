"""Login throttling and lockout (django-axes) on every login path, and API tokens that expire,
are named, die with a password change and are listed and revocable on the profile page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from metacluster.accounts.models import ApiToken
from metacluster.conftest import PASSWORD

WRONG = {"password": "not-the-password"}


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_sixth_wrong_password_in_a_minute_is_throttled(client, advisor, path):
    advisor.is_staff = advisor.is_superuser = True  # so that the admin would let them in
    advisor.save()
    for _attempt in range(5):
        response = client.post(path, {"username": "advisor", **WRONG})
        assert response.status_code == 200  # "wrong password", the form again
    sixth = client.post(path, {"username": "advisor", **WRONG})
    assert sixth.status_code == 429
    assert "Too many failed logins" in sixth.text
    # Even the right password is refused until the lockout ends.
    right = client.post(path, {"username": "advisor", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(client, advisor):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _attempt in range(6):
            client.post("/accounts/login/", {"username": "advisor", **WRONG})
        traveller.shift(timedelta(minutes=16))
        response = client.post("/accounts/login/", {"username": "advisor", "password": PASSWORD})
    assert response.status_code == 302


def test_a_lockout_of_one_user_leaves_others_alone(client, advisor, manager):
    for _attempt in range(6):
        client.post("/accounts/login/", {"username": "advisor", **WRONG})
    response = client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, advisor):
    for _attempt in range(4):
        client.post("/accounts/login/", {"username": "advisor", **WRONG})
    client.post("/accounts/login/", {"username": "advisor", "password": PASSWORD})
    client.post("/accounts/logout/")
    for _attempt in range(4):
        assert client.post("/accounts/login/", {"username": "advisor", **WRONG}).status_code == 200


# --- API tokens -------------------------------------------------------------------------------


def test_a_token_is_named_and_expires_after_the_days_chosen(client, advisor):
    client.force_login(advisor)
    client.post("/accounts/tokens/", {"name": "CRM sync", "days": "30"})
    token = ApiToken.objects.get(user=advisor)
    assert token.name == "CRM sync"
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    page = client.get("/accounts/profile/").text
    assert "CRM sync" in page and "Expires" in page


def test_an_expired_token_is_refused(manager, programme):
    token, key = ApiToken.issue(manager, "script", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me")
        assert token.is_expired
    assert response.status_code == 401


def test_a_token_days_outside_the_choices_is_refused(client, advisor):
    client.force_login(advisor)
    client.post("/accounts/tokens/", {"name": "forever", "days": "100000"})
    assert not ApiToken.objects.exists()


def test_changing_the_password_revokes_every_token(client, advisor):
    _token, key = ApiToken.issue(advisor, "script")
    client.force_login(advisor)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-better-secret-42",
            "new_password2": "a-much-better-secret-42",
        },
    )
    assert response.status_code == 302
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_saving_a_profile_does_not_revoke_tokens(client, advisor):
    token, _key = ApiToken.issue(advisor, "script")
    advisor.first_name = "Ada"
    advisor.save()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_lists_tokens_and_revokes_one(client, advisor):
    token, _key = ApiToken.issue(advisor, "reporting script")
    client.force_login(advisor)
    page = client.get("/accounts/profile/").text
    assert "reporting script" in page and re.search(rf"/accounts/tokens/{token.pk}/revoke/", page)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
