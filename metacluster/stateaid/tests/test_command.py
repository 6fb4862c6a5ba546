import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from .conftest import declare, deliver

pytestmark = pytest.mark.django_db


def test_aid_standing_prints_each_company_as_csv(programme, coaching, company, manager):
    declare(company, 170_000, date(2020, 6, 1))
    deliver(coaching, company, 3, by=manager)
    out = io.StringIO()
    call_command("aid_standing", programme.acronym, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    assert rows[0]["aid_in_programme_eur"] == "300.00"
    assert rows[0]["undertaking_total_eur"] == "170300.00"
    assert rows[0]["status"] == "near"
    assert rows[0]["keep_records_until"] == "2031-05-04"


def test_aid_standing_filters_by_status(programme, coaching, company, manager):
    deliver(coaching, company, 3, by=manager)
    out = io.StringIO()
    call_command("aid_standing", programme.acronym, "--status", "near", stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 1  # the header only


def test_aid_standing_refuses_an_unknown_programme(db):
    with pytest.raises(CommandError):
        call_command("aid_standing", "nope")


def test_aid_standing_writes_a_formula_like_company_name_as_text(
    programme, coaching, company, manager
):
    company.name = '=HYPERLINK("http://evil.example/")'
    company.save()
    deliver(coaching, company, 3, by=manager)
    out = io.StringIO()
    call_command("aid_standing", programme.acronym, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["company"] == "'" + company.name
