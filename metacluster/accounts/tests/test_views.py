"""Logging in and out, resetting a password, preferences and API tokens."""

import re

from django.core import mail

from metacluster.accounts.models import ApiToken, hash_key
from metacluster.conftest import PASSWORD


def test_a_user_logs_in_and_lands_on_their_home_page(client, advisor, programme):
    response = client.post(
        "/accounts/login/", {"username": "advisor", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Inbox" in response.text  # an advisor's home (see test_home.py for each role)


def test_a_wrong_password_is_refused(client, advisor):
    response = client.post("/accounts/login/", {"username": "advisor", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(client, advisor):
    client.login(username="advisor", password=PASSWORD)
    client.post("/accounts/logout/")
    assert client.get("/programmes/").status_code == 302


def test_a_password_reset_link_lets_the_user_choose_a_new_password(client, advisor):
    client.post("/accounts/password_reset/", {"email": advisor.email})
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "a-much-better-secret-42", "new_password2": "a-much-better-secret-42"},
    )
    assert client.login(username="advisor", password="a-much-better-secret-42")


def test_preferences_set_time_zone_and_language(client, advisor):
    client.login(username="advisor", password=PASSWORD)
    client.post(
        "/accounts/profile/",
        {
            "first_name": "Ada",
            "last_name": "",
            "email": "ada@example.org",
            "time_zone": "Asia/Ho_Chi_Minh",
            "language": "sv",
        },
    )
    advisor.refresh_from_db()
    assert (advisor.time_zone, advisor.language) == ("Asia/Ho_Chi_Minh", "sv")


def test_an_unknown_time_zone_is_refused(client, advisor):
    client.login(username="advisor", password=PASSWORD)
    response = client.post(
        "/accounts/profile/", {"email": "", "time_zone": "Mars/Olympus", "language": ""}
    )
    assert "time_zone" in response.context["form"].errors
    advisor.refresh_from_db()
    assert advisor.time_zone == "Europe/Stockholm"


def test_a_token_is_shown_once_and_stored_only_as_a_hash(client, advisor):
    client.login(username="advisor", password=PASSWORD)
    client.post("/accounts/tokens/", {"name": "reporting"})
    page = client.get("/accounts/profile/").text
    key = re.search(r'<code id="new-token">(\S+)</code>', page).group(1)
    token = ApiToken.objects.get(user=advisor)
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert key not in client.get("/accounts/profile/").text


def test_a_user_cannot_revoke_someone_elses_token(client, advisor, manager):
    token, _key = ApiToken.issue(manager, "theirs")
    client.login(username="advisor", password=PASSWORD)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_stylesheet_and_htmx_are_served(client):
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
