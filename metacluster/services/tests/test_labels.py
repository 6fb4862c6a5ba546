"""A service's names in other languages, edited on its catalogue page."""

from metacluster.conftest import PASSWORD


def login(client, user, language=""):
    user.language = language
    user.save(update_fields=["language"])
    assert client.login(username=user.username, password=PASSWORD)
    return client


def edit_url(service):
    return f"/programmes/{service.programme.acronym}/services/{service.pk}/"


def service_form(service, **labels):
    data = {
        "kind": service.kind,
        "name": service.name,
        "provider": service.provider_id,
        "description": service.description,
        "unit": service.unit,
        "value_per_unit": str(service.value_per_unit),
        "active": "on",
    }
    return {**data, **labels}


def catalogue(client, service):
    return client.get(f"/programmes/{service.programme.acronym}/services/").text


def test_an_advisor_labels_their_service_in_swedish_and_the_swedish_catalogue_shows_it(
    client, advisor, training
):
    response = login(client, advisor).post(
        edit_url(training),
        service_form(
            training, label_sv_name="Exportworkshop", label_sv_description="En dag om export"
        ),
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.translations == {
        "sv": {"name": "Exportworkshop", "description": "En dag om export"}
    }
    page = catalogue(login(client, advisor, "sv"), training)
    assert "Exportworkshop" in page and "Export workshop" not in page


def test_a_cleared_label_falls_back_to_the_services_own_name(client, manager, coaching):
    coaching.translations = {"sv": {"name": "Exportcoachning"}}
    coaching.save()
    response = login(client, manager).post(edit_url(coaching), service_form(coaching))
    assert response.status_code == 302
    coaching.refresh_from_db()
    assert coaching.translations == {}
    page = catalogue(login(client, manager, "sv"), coaching)
    assert "Export coaching" in page and "Exportcoachning" not in page


def test_a_label_longer_than_the_name_is_a_form_error(client, manager, coaching):
    response = login(client, manager).post(
        edit_url(coaching), service_form(coaching, label_et_name="x" * 201)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "longer than 200 characters" in str(errors["label_et_name"])
    coaching.refresh_from_db()
    assert coaching.translations == {}


def test_the_labels_are_in_their_own_section_of_the_page(client, manager, coaching):
    page = login(client, manager).get(edit_url(coaching)).text
    assert 'name="label_lv_description"' in page
    assert page.count('name="label_sv_name"') == 1  # not repeated among the other fields
    assert 'lang="fi"' in page


def test_an_advisor_cannot_post_labels_for_another_partners_service(client, advisor, coaching):
    response = login(client, advisor).post(
        edit_url(coaching), service_form(coaching, label_sv_name="Ändrat")
    )
    assert response.status_code == 403
    coaching.refresh_from_db()
    assert coaching.translations == {}


def test_a_viewer_cannot_post_labels(client, viewer, coaching):
    response = login(client, viewer).post(
        edit_url(coaching), service_form(coaching, label_sv_name="Ändrat")
    )
    assert response.status_code == 403
    coaching.refresh_from_db()
    assert coaching.translations == {}


def test_a_delivery_offers_the_services_in_the_readers_language(client, advisor, training):
    training.translations = {"fi": {"name": "Vientityöpaja"}}
    training.save()
    page = login(client, advisor, "fi").get(
        f"/programmes/{training.programme.acronym}/deliveries/new/"
    )
    assert "Vientityöpaja" in page.text
