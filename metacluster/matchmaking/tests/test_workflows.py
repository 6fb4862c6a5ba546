"""Interest → lead, notices and alerts that never repeat, import all-or-nothing."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal
from metacluster.matchmaking.importing import import_opportunities
from metacluster.matchmaking.models import Interest, Notice, Opportunity
from metacluster.matchmaking.workflows import express_interest, notify, send_alerts


def test_an_interest_becomes_a_lead_in_the_deals_pipeline(opportunity, company, sme_user, lead_org):
    interest = express_interest(opportunity, company, by=sme_user, message="We did this in Kista.")
    deal = interest.deal
    assert deal.stage == DealStage.LEAD
    assert (deal.company, deal.programme, deal.market) == (company, opportunity.programme, "VN")
    assert deal.partner == lead_org  # the partner the company works with
    assert deal.counterpart == "Da Nang transport department"
    assert "We did this in Kista." in deal.notes


def test_interest_is_expressed_once_and_only_while_open(opportunity, company):
    express_interest(opportunity, company)
    with pytest.raises(ValidationError):
        express_interest(opportunity, company)
    assert Deal.objects.filter(company=company).count() == 1
    opportunity.deadline = timezone.localdate() - timedelta(days=1)
    opportunity.save()
    Interest.objects.all().delete()
    with pytest.raises(ValidationError, match="closed or past"):
        express_interest(opportunity, company)


def test_a_company_outside_the_programme_cannot_express_interest(opportunity, outsider_company):
    with pytest.raises(ValidationError):
        express_interest(opportunity, outsider_company)
    assert not Deal.objects.filter(company=outsider_company).exists()


def test_an_advisor_notifies_a_company_once(opportunity, company, sme_user, advisor):
    assert notify(opportunity, company, by=advisor) is not None
    assert notify(opportunity, company, by=advisor) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sme_user.email]
    assert opportunity.title in mail.outbox[0].body


def test_alerts_send_one_digest_per_sme_and_never_repeat(
    programme, lead_org, capabilities, opportunity, company, sme_user
):
    from .conftest import make_opportunity

    second = make_opportunity(
        programme, lead_org, capabilities, title="Parking guidance in Hanoi", country="VN"
    )
    counts = send_alerts(top=5, min_score=0.2)
    assert counts["mails"] == 1  # one mail for two opportunities
    assert opportunity.title in mail.outbox[0].body and second.title in mail.outbox[0].body
    assert Notice.objects.filter(company=company).count() == 2
    assert send_alerts(top=5, min_score=0.2)["mails"] == 0
    assert len(mail.outbox) == 1


def test_the_alert_command_reports_what_it_did(opportunity, sme_user, capsys):
    call_command("send_match_alerts", "--min-score", "0.2")
    assert "1 mails" in capsys.readouterr().out


def csv_file(rows):
    header = "title,description,country,capabilities,deadline,nace_codes\n"
    return (header + "".join(rows)).encode()


def test_import_saves_every_row_when_all_are_valid(programme, manager, capabilities):
    data = csv_file(
        [
            "Parking sensors,Sensors for a city,VN,smart-mobility;iot,2030-01-31,26.51\n",
            "Water meters,Smart meters,CN,water,,\n",
        ]
    )
    result = import_opportunities(data, "o.csv", programme=programme, user=manager)
    assert result.errors == []
    assert Opportunity.objects.count() == 2
    parking = Opportunity.objects.get(title="Parking sensors")
    assert sorted(c.code for c in parking.capabilities.all()) == ["iot", "smart-mobility"]
    assert parking.nace_codes == ["26.51"]


def test_import_with_a_bad_row_saves_nothing_and_names_the_rows(programme, manager, capabilities):
    data = csv_file(
        [
            "Parking sensors,Sensors for a city,VN,smart-mobility,2030-01-31,\n",
            "Bad country,Text,XX,,,\n",
            "Bad capability,Text,VN,teleportation,,\n",
            "Bad NACE,Text,VN,,,sixty-two\n",
        ]
    )
    result = import_opportunities(data, "o.csv", programme=programme, user=manager)
    assert [row for row, _message in result.errors] == [2, 3, 4]
    assert "teleportation" in result.errors[1][1]
    assert Opportunity.objects.count() == 0


def test_import_reads_json_lists(programme, manager, capabilities):
    data = json.dumps(
        [
            {
                "title": "T",
                "description": "D",
                "country": "CL",
                "capabilities": ["water"],
                "eligible_countries": ["se", "FI"],
            }
        ]
    ).encode()
    result = import_opportunities(data, "o.json", programme=programme, user=manager)
    assert result.errors == []
    assert Opportunity.objects.get().eligible_countries == ["SE", "FI"]


@pytest.mark.parametrize("data", [b"\xff\xfe", b"{not json", b"[1, 2]", b""])
def test_import_of_an_unreadable_file_is_one_clear_error(programme, manager, data):
    result = import_opportunities(data, "o.json", programme=programme, user=manager)
    assert len(result.errors) == 1 and result.errors[0][0] == 0
