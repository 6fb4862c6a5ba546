"""Property-based fuzzing of the whole JSON API against its own OpenAPI document.

Schemathesis reads /api/v1/openapi.json from the WSGI application in-process (no server) and
makes one test per operation. Each test sends well-formed requests and malformed ones (wrong
types, out-of-range ids, missing or extra fields, path segments that are not ids ...) as a
programme manager, and checks every answer:

- never a server error (5xx);
- its status code is one the operation documents (every operation documents 400, 401, 403,
  404 and 409 for the one error shape, see `metacluster.apiutils.responses`);
- its Content-Type and body match what the document declares for that status;
- its documented headers are present;
- a request sent without credentials is refused with 401, not answered (`ignored_auth`);
- a method the path does not take is refused with 405 (`unsupported_method`).

Two of schemathesis's default checks are left out on purpose, because the OpenAPI document
cannot express what they expect (see the comment at `CHECKS`).

The run is reproducible: a fixed seed, a fixed number of examples and no example database.
"""

from datetime import date

import pytest
import schemathesis
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from metacluster.accounts.models import ApiToken
from metacluster.companies.models import Contact, Note
from metacluster.consortia.models import Consortium
from metacluster.deals.models import Deal
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.wsgi import application

# Examples per operation in the fuzzing phase; the coverage phase adds its own boundary and
# type-mismatch cases on top (about 3,000 requests in all). The whole file takes about 35 s on
# SQLite and 55-60 s on PostgreSQL on a 2-core machine.
MAX_EXAMPLES = 25

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261101,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            # No .hypothesis example database: a failure found once must not change what the
            # next run (or CI) generates.
            "database": "none",
        },
    }
)

# Loading the document makes one request through the whole middleware stack but touches no
# database table, so it can run at import time, outside any test's database access.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

# Left out of schemathesis's defaults:
# - positive_data_acceptance expects every schema-valid request to succeed, but the document
#   cannot say that a record must exist, that a name may not be blank, that a delivery must
#   fall inside the programme's period, and so on: those are 400/404 by design.
# - negative_data_rejection expects every schema-violating value to be refused, but pydantic
#   (django-ninja) validates in lax mode: it accepts 0/1 for a boolean and a number of seconds
#   for a date, which the document types strictly. Harmless, and not something to fix here.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
    unsupported_method,
]


@pytest.fixture
def manager_headers(
    monkeypatch,
    manager,
    advisor,
    viewer,
    outsider,
    programme,
    outsider_programme,
    company,
    other_company,
    outsider_company,
    sme_user,
    coaching,
    training,
    nonfin_indicator,
    lead_org,
):
    """The conftest characters plus one of each other record, so that small ids (which the
    generator tries first) name real records: programme 1 is the manager's, company 1 is theirs
    and engaged in it, and there is a delivery, deal, consortium, contact and note 1."""
    record_delivery(
        Delivery(
            service=coaching, company=company, provider=lead_org, date=date(2021, 3, 15), quantity=2
        )
    )
    Deal.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="JP",
        counterpart="Fictional Trading KK",
        opened_on=date(2021, 4, 1),
    )
    consortium = Consortium.objects.create(
        programme=programme,
        name="Nordic Smart Port",
        market="JP",
        coordinator=lead_org,
        formed_on=date(2021, 5, 1),
    )
    consortium.members.set([company, other_company])
    Contact.objects.create(
        company=company,
        name="Anna Fictional",
        lawful_basis="consent",
        consent_given_at=timezone.now(),
    )
    Note.objects.create(company=company, organisation=lead_org, text="Met at the fair")
    # The sequences are reset for every test (reset_sequences below), so these are stable.
    assert (programme.pk, company.pk, nonfin_indicator.pk, coaching.pk) == (1, 1, 1, 1)
    assert manager.pk == 1 and company.engagements.get().pk == 1
    # Keep one database connection for the whole test instead of one per request (the default
    # DB_CONN_MAX_AGE=0): on PostgreSQL, reconnecting for each of ~3,000 requests would double
    # this file's run time. Restored after the test.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)
    _token, key = ApiToken.issue(manager, "fuzz")
    return {"Authorization": f"Bearer {key}"}


# transaction=True: requests run in autocommit as in production. Inside the one transaction of
# a plain `db` test, a refused INSERT on PostgreSQL would abort the transaction and turn every
# later request of the same operation into a spurious error.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
@schema.parametrize()
# The fixture's records are shared by all examples of one operation (a DELETE or PATCH example
# changes them for the ones after it), which is fine: every answer must be valid either way.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_conforms_to_its_schema(case, manager_headers):
    case.call_and_validate(headers=manager_headers, checks=CHECKS)


# Random generation seldom gets past the business rules of these operations (a non-blank name,
# a date inside the programme, an indicator code that exists ...), so their success answers
# would go unchecked. One known-good request each checks those answers against the document.
KNOWN_GOOD = {
    "POST /api/v1/companies": {
        "body": {
            "name": "Delta Fictional AS",
            "country": "EE",
            "registry_code": "10000099",
            "nace_codes": ["62.01"],
            "employees": 12,
            "programme": 1,
        }
    },
    "PATCH /api/v1/companies/{company_id}": {
        "path_parameters": {"company_id": 1},
        "body": {"version": 1, "town": "Lund", "employees": 40},
    },
    "POST /api/v1/engagements/{engagement_id}/stage": {
        "path_parameters": {"engagement_id": 1},
        "body": {"stage": "assessed", "note": "Export plan agreed"},
    },
    "POST /api/v1/deliveries": {
        "body": {"service": 1, "company": 1, "date": "2021-05-04", "quantity": "1.5"},
    },
    "POST /api/v1/deliveries/attendance": {
        "body": {"service": 1, "companies": [1, 2], "date": "2021-10-10", "quantity": 4},
    },
    "GET /api/v1/programmes/{programme_id}/kpis/{code}/records": {
        "path_parameters": {"programme_id": 1, "code": "SME-NONFIN"},
    },
    "POST /api/v1/programmes/{programme_id}/indicators": {
        "path_parameters": {"programme_id": 1},
        "body": {
            "code": "SME-SUPPORTED",
            "name": "SMEs supported",
            "target": 10,
            "definition": {"kind": "stage_reached", "stage": "supported"},
        },
    },
    "DELETE /api/v1/programmes/{programme_id}/indicators/{indicator_id}": {
        "path_parameters": {"programme_id": 1, "indicator_id": 1},
    },
    "POST /api/v1/deals": {
        "body": {
            "programme": 1,
            "company": 1,
            "market": "NO",
            "counterpart": "Fiktiv Handel AS",
            "opened_on": "2021-06-01",
        }
    },
    "PATCH /api/v1/deals/{deal_id}": {
        "path_parameters": {"deal_id": 1},
        "body": {"version": 1, "stage": "meeting"},
    },
}


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.parametrize("label", sorted(KNOWN_GOOD))
def test_known_good_request_succeeds_and_conforms(label, manager_headers):
    method, path = label.split(" ", 1)
    case = schema[path][method].Case(**KNOWN_GOOD[label])
    response = case.call_and_validate(headers=manager_headers, checks=CHECKS)
    assert 200 <= response.status_code < 300, response.text
