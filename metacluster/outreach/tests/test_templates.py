"""Specification of message templates: two managers editing one template cannot overwrite each
other, and a message chooses among its programme's templates, shown in the writer's language."""

import pytest

from metacluster.conftest import PASSWORD
from metacluster.outreach.forms import MessageForm, template_choices
from metacluster.outreach.models import Message, MessageTemplate
from metacluster.testing import assert_error, token_client
from metacluster.versioning import STALE_MESSAGE


def template(programme, name, language, subject, body="Dear {company}"):
    return MessageTemplate.objects.create(
        programme=programme, name=name, language=language, subject=subject, body=body
    )


# --- Optimistic locking -------------------------------------------------------------------------


def test_a_template_edit_saves_and_counts_a_version(client, manager, programme):
    fair = template(programme, "Fair", "en", "Fair")
    assert client.login(username=manager.username, password=PASSWORD)
    url = f"/programmes/{programme.acronym}/outreach/templates/{fair.pk}/"
    assert f'name="version" value="{fair.version}"' in client.get(url).content.decode()

    response = client.post(
        url,
        {"name": "Fair", "language": "en", "subject": "Fair in Osaka", "body": "Hi", "version": 1},
    )

    assert response.status_code == 302
    fair.refresh_from_db()
    assert (fair.subject, fair.version) == ("Fair in Osaka", 2)


def test_a_stale_template_save_is_refused_and_keeps_the_typed_text(client, manager, programme):
    fair = template(programme, "Fair", "en", "Fair", body="Old text")
    url = f"/programmes/{programme.acronym}/outreach/templates/{fair.pk}/"
    fields = {"name": "Fair", "language": "en", "subject": "Fair", "version": fair.version}
    # Someone else saves the template after this manager opened it.
    someone_else = MessageTemplate.objects.get(pk=fair.pk)
    someone_else.body = "Their text"
    someone_else.save_versioned(someone_else.version)

    assert client.login(username=manager.username, password=PASSWORD)
    response = client.post(url, fields | {"body": "My carefully typed text"})

    assert response.status_code == 200
    page = response.content.decode()
    assert str(STALE_MESSAGE) in page
    assert "My carefully typed text" in page
    fair.refresh_from_db()
    assert (fair.body, fair.version) == ("Their text", 2)


def test_a_template_edit_without_its_version_is_refused(client, manager, programme):
    fair = template(programme, "Fair", "en", "Fair", body="Old text")
    assert client.login(username=manager.username, password=PASSWORD)

    response = client.post(
        f"/programmes/{programme.acronym}/outreach/templates/{fair.pk}/",
        {"name": "Fair", "language": "en", "subject": "Fair", "body": "New"},
    )

    assert response.status_code == 200
    fair.refresh_from_db()
    assert fair.body == "Old text"


# --- Choosing a template ------------------------------------------------------------------------


@pytest.fixture
def templates(programme, outsider_programme):
    template(programme, "Fair", "en", "Fair in Osaka")
    template(programme, "Fair", "sv", "Mässa i Osaka")
    template(programme, "Webinar", "en", "Pricing webinar")
    template(programme, "Webinar", "et", "Hinnastamise veebiseminar")
    template(programme, "Survey", "fi", "Kysely")  # neither the writer's language nor English
    template(outsider_programme, "Secret", "en", "Not for this programme")


def test_the_template_choice_is_in_the_writers_language_with_a_fallback(programme, templates):
    assert template_choices(programme, "sv") == [
        ("Fair", "Fair: Mässa i Osaka (EN, SV)"),
        ("Survey", "Survey: Kysely (FI)"),
        ("Webinar", "Webinar: Pricing webinar (EN, ET)"),
    ]
    assert dict(template_choices(programme, "et"))["Webinar"] == (
        "Webinar: Hinnastamise veebiseminar (EN, ET)"
    )
    assert dict(template_choices(programme, "et"))["Fair"] == "Fair: Fair in Osaka (EN, SV)"


def test_the_message_page_offers_the_programmes_templates_in_the_users_language(
    client, advisor, programme, templates
):
    advisor.language = "sv"
    advisor.save()
    assert client.login(username=advisor.username, password=PASSWORD)

    page = client.get(f"/programmes/{programme.acronym}/outreach/new/").content.decode()

    assert '<select name="template_name"' in page
    assert '<option value="Fair">Fair: Mässa i Osaka (EN, SV)</option>' in page
    assert "Not for this programme" not in page


def test_a_message_names_only_one_of_its_programmes_templates(programme, templates):
    chosen = MessageForm({"template_name": "Webinar"}, programme=programme)
    assert chosen.is_valid(), chosen.errors
    assert chosen.save().template_name == "Webinar"

    for name in ("Secret", "Fare"):  # another programme's; mistyped
        form = MessageForm({"template_name": name}, programme=programme)
        assert not form.is_valid()
        assert "template_name" in form.errors


def test_the_api_refuses_a_template_the_programme_does_not_have(advisor, programme, templates):
    response = token_client(advisor).post(
        "/api/v1/outreach/messages",
        {"programme": programme.pk, "template_name": "Secret", "subject": "S", "body": "B"},
        content_type="application/json",
    )

    assert_error(response, 400, "template_name")
    assert not Message.objects.exists()
