"""Who sees an assessment: the company, its assessing partner, other partners only once it
is shared, and nobody outside the programme (404, never a hint that it exists)."""

import pytest

from metacluster.accounts.choices import Role
from metacluster.conftest import make_user
from metacluster.readiness.models import Assessment


def visible(user):
    return set(Assessment.objects.visible_to(user))


def test_the_sme_sees_its_own_assessment(completed, sme_user):
    assert visible(sme_user) == {completed}


def test_another_smes_user_does_not_see_it(completed, other_company):
    other_sme = make_user("other-sme", company=other_company, role=Role.SME)
    assert visible(other_sme) == set()


def test_the_assessing_partner_sees_it(completed, manager, viewer):
    assert visible(manager) == {completed}
    assert visible(viewer) == {completed}


def test_another_partners_advisor_sees_it_only_once_shared(completed, advisor):
    assert visible(advisor) == set()
    Assessment.objects.filter(pk=completed.pk).update(shared=True)
    assert visible(advisor) == {completed}


def test_sharing_never_reaches_outside_the_programme(completed, outsider):
    Assessment.objects.filter(pk=completed.pk).update(shared=True)
    assert visible(outsider) == set()


def test_anonymous_sees_nothing(completed):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()


@pytest.mark.parametrize("suffix", ["", "answer/", "report.pdf"])
def test_pages_are_404_for_those_who_may_not_see(client, completed, advisor, outsider, suffix):
    for user in (advisor, outsider):
        client.force_login(user)
        assert client.get(f"/readiness/{completed.pk}/{suffix}").status_code == 404


def test_another_sme_gets_404(client, completed, other_company):
    client.force_login(make_user("other-sme", company=other_company, role=Role.SME))
    assert client.get(f"/readiness/{completed.pk}/").status_code == 404


def test_a_partner_who_sees_a_shared_draft_cannot_answer_it(client, draft, advisor):
    Assessment.objects.filter(pk=draft.pk).update(shared=True)
    client.force_login(advisor)
    assert client.get(f"/readiness/{draft.pk}/answer/").status_code == 403
    # ... and the result page says it is unfinished instead of sending them to answer it.
    response = client.get(f"/readiness/{draft.pk}/")
    assert response.status_code == 200
    assert "unfinished" in response.text


def test_only_the_company_or_assessing_partner_decide_on_sharing(client, completed, advisor):
    Assessment.objects.filter(pk=completed.pk).update(shared=True)
    client.force_login(advisor)
    assert client.post(f"/readiness/{completed.pk}/share/", {"shared": "0"}).status_code == 403
    assert Assessment.objects.get(pk=completed.pk).shared


def test_the_sme_shares_and_unshares(client, completed, sme_user):
    client.force_login(sme_user)
    client.post(f"/readiness/{completed.pk}/share/", {"shared": "1"})
    assert Assessment.objects.get(pk=completed.pk).shared
    client.post(f"/readiness/{completed.pk}/share/", {"shared": "0"})
    assert not Assessment.objects.get(pk=completed.pk).shared


def test_a_viewer_cannot_start_an_assessment(client, viewer):
    client.force_login(viewer)
    assert client.get("/readiness/new/").status_code == 403


def test_only_managers_adopt_an_instrument_version(client, programme, advisor, manager, outsider):
    url = f"/readiness/programmes/{programme.acronym}/instrument/"
    client.force_login(advisor)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200
