from metacluster.conftest import PASSWORD
from metacluster.consortia.models import Consortium


def test_consortia_are_listed_for_partners_and_hidden_from_outsiders(
    client, advisor, outsider, programme, company, other_company, lead_org
):
    consortium = Consortium.objects.create(
        programme=programme, name="Smart Water Fictional", market="VN", coordinator=lead_org
    )
    consortium.members.set([company, other_company])
    assert client.login(username=advisor.username, password=PASSWORD)
    response = client.get(f"/programmes/{programme.acronym}/consortia/")
    assert [c.name for c in response.context["consortia"]] == ["Smart Water Fictional"]
    client.logout()
    assert client.login(username=outsider.username, password=PASSWORD)
    assert client.get(f"/programmes/{programme.acronym}/consortia/").status_code == 404
