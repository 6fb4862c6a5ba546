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
- a method the path does not take is refused with 405 (`unsupported_method`);
- a request that violates the document is refused (`negative_data_rejection`): the document
  says no more than the API accepts;
- a request that matches the document is accepted (`positive_data_acceptance`): the document
  says no less than the API accepts. The exceptions are the business rules that a schema cannot
  express (a record that exists, a date inside the programme's period ...), which each
  operation documents in its 400 response; see `BUSINESS_RULE_FIELDS`.

The run is reproducible: a fixed seed, a fixed number of examples and no example database.
"""

import re
import string
from datetime import date

import pytest
import schemathesis
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from metacluster.accounts.models import ApiToken
from metacluster.companies.models import Contact, Note
from metacluster.consortia.models import Consortium
from metacluster.countries import countries
from metacluster.deals.models import Deal
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery
from metacluster.wsgi import application

# Examples per operation in the fuzzing phase; the coverage phase adds its own boundary and
# type-mismatch cases on top (about 3,800 requests in all). The whole file takes about 30 s on
# SQLite and 45 s on PostgreSQL on a 2-core machine.
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

# Input that matches the document and is still refused (400) by design: the rule needs the
# database or more than one field, which a schema cannot express. Each operation lists these
# rules in the description of its 400 response (apiutils.refused_when, checked below by
# test_business_rules_are_documented); here are the fields their errors are reported on. A 400
# for a schema-valid request that names any other field, or no field, is still a failure.
BUSINESS_RULE_FIELDS = {
    # Codes are unique within a programme.
    "POST /api/v1/programmes/{programme_id}/indicators": {"code"},
    "PATCH /api/v1/programmes/{programme_id}/indicators/{indicator_id}": {"code"},
    # Registry codes are unique within a country; a VAT number starts with its country's code;
    # the programme must be one the user records in.
    "POST /api/v1/companies": {"registry_code", "vat_number", "programme"},
    "PATCH /api/v1/companies/{company_id}": {"registry_code", "vat_number"},
    # Consent needs the time it was given (a rule across two fields).
    "POST /api/v1/companies/{company_id}/contacts": {"consent_given_at"},
    # A company cannot move to the stage it is at.
    "POST /api/v1/engagements/{engagement_id}/stage": {"stage"},
    # The service, company, contact, provider and advisor must exist, be visible and belong
    # together; the date must fall in the programme's period and not in the future.
    # Past the state-aid ceiling a delivery needs a manager's reason (aid_override_reason).
    "POST /api/v1/deliveries": {
        "service",
        "company",
        "contact",
        "provider",
        "advisor",
        "date",
        "aid_override_reason",
    },
    # The same, for each of `companies` (reported as companies.N).
    "POST /api/v1/deliveries/attendance": {
        "service",
        "companies",
        "provider",
        "advisor",
        "date",
        "aid_override_reason",
    },
    # Programme, company and partner must exist and be visible; the stage decides whether an
    # agreement type and a closing date are needed; a first sale is a won sale, once per market.
    "POST /api/v1/deals": {
        "programme",
        "company",
        "partner",
        "agreement_type",
        "closed_on",
        "first_sale",
    },
    "PATCH /api/v1/deals/{deal_id}": {"partner", "agreement_type", "closed_on", "first_sale"},
    # Markets: weights that are all zero rank nothing; a trade file is only known to be BACI
    # data once read; a study's references must be visible, its market not the company's home,
    # and a decision needs a date in the programme and a feasibility service to record.
    "POST /api/v1/markets/ranking": {"weights"},
    "POST /api/v1/markets/export-potential": {"trade"},
    # The dataset must hold exports of the product by the exporter in the year.
    "POST /api/v1/markets/trade-datasets/{dataset_id}/export-potential": {
        "exporter",
        "product",
        "year",
    },
    "POST /api/v1/markets/feasibility-studies": {
        "programme",
        "company",
        "market",
        "partner",
        "advisor",
        "weights",
        "decided_on",
        "decision",
    },
    "PATCH /api/v1/markets/feasibility-studies/{study_id}": {"decided_on", "decision"},
    # State aid: the company and service must be visible, the date in the programme; declared
    # aid is past aid, since 2000.
    "POST /api/v1/stateaid/check": {"company", "service", "date"},
    "POST /api/v1/stateaid/companies/{company_id}/declarations": {"granted_on"},
    # Testbeds: a bookable testbed, a visible company, a real future slot with a free seat; a
    # slot range of up to a month; a use is a delivery with the delivery's rules.
    "POST /api/v1/testbeds/{testbed_id}/bookings": {"testbed", "company", "starts_at"},
    "GET /api/v1/testbeds/{testbed_id}/slots": {"date_from", "date_to"},
    "POST /api/v1/testbeds/bookings/{booking_id}/use": {"aid_override_reason", "date"},
    # Matchmaking: capabilities are codes of the programme's taxonomy; programme, partner and
    # company must be ones the user may act for; interest only in an open opportunity, once.
    "POST /api/v1/opportunities": {"programme", "partner", "capabilities"},
    "PATCH /api/v1/opportunities/{opportunity_id}": {"capabilities"},
    "POST /api/v1/offers": {"programme", "company", "capabilities", "tags"},
    "PATCH /api/v1/offers/{offer_id}": {"capabilities", "tags"},
    "POST /api/v1/opportunities/{opportunity_id}/interests": {"company"},
    "POST /api/v1/opportunities/{opportunity_id}/feedback": {"company"},
    # Consortium needs: the programme's own capabilities; size and country bounds that agree.
    "POST /api/v1/consortia/needs": {
        "programme",
        "capabilities",
        "min_size",
        "min_countries",
    },
    "PATCH /api/v1/consortia/needs/{need_id}": {"capabilities", "min_size", "min_countries"},
    # Market guides: references must be visible and belong to the programme (and the report's
    # market); a link must be a valid URL; dates not in the future; a reason not only spaces.
    "POST /api/v1/guides/barriers": {
        "programme",
        "helping_partner",
        "helping_service",
        "source_url",
        "last_confirmed_on",
    },
    "PATCH /api/v1/guides/barriers/{barrier_id}": {
        "helping_partner",
        "helping_service",
        "source_url",
        "last_confirmed_on",
    },
    "POST /api/v1/guides/experience-reports": {
        "programme",
        "company",
        "deal",
        "event",
        "occurred_on",
    },
    "POST /api/v1/guides/experience-reports/{report_id}/publish": {"barrier"},
    "POST /api/v1/guides/experience-reports/{report_id}/reject": {"reason"},
    # Service requests: a visible company and an offered service (or a kind that one partner,
    # or the chosen one, offers); a move allowed from the current status with what it needs.
    "POST /api/v1/services/requests": {
        "company",
        "service",
        "programme",
        "kind",
        "provider",
        "shared_contacts",
    },
    "POST /api/v1/services/requests/{request_id}/transitions": {
        "to",
        "reason",
        "advisor",
        "planned_for",
        "date",
        "quantity",
        "aid_override_reason",
    },
    # Activities, applications, outreach: a company of the programme; a reason and a subject
    # and text not only spaces; a visible programme with its own capabilities, activity and
    # message templates.
    "POST /api/v1/activities/{activity_id}/registrations": {"company"},
    "POST /api/v1/applications/{application_id}/decline": {"reason"},
    "POST /api/v1/outreach/messages": {
        "programme",
        "capabilities",
        "activity",
        "subject",
        "body",
        "template_name",
    },
    # Scouting imports: a file is a register only once read (its format, encoding, a name column).
    "POST /api/v1/scouting/imports": {"file", "country"},
    # List filters that take a name as well as a code: known only once looked up.
    "GET /api/v1/companies": {
        "country",
        "programme",
        "kind",
        "size",
        "status",
        "sort",
        "stage",
        "nace",
    },
    "GET /api/v1/deals": {"programme", "market"},
    "GET /api/v1/scouting/programmes/{programme_id}/ranking": {"nace"},
    "GET /api/v1/guides/barriers": {"nace"},
}


def positive_data_acceptance_but_business_rules(ctx, response, case):
    """schemathesis's positive_data_acceptance, except for a 400 whose fields are all ones that
    the operation's business rules are reported on (`companies.3` counts as `companies`).

    Narrower than what schemathesis's configuration offers: adding 400 to the check's
    `expected-statuses` for these operations ([[operations]] in its config) would excuse every
    400 they give, including one for a field whose schema says less than its validation."""
    if response.status_code == 400 and case.meta is not None:
        if case.meta.generation.mode.is_positive:
            fields = response.json().get("fields") or {}
            allowed = BUSINESS_RULE_FIELDS.get(case.operation.label, set())
            if fields and all(name.split(".")[0] in allowed for name in fields):
                return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
    unsupported_method,
    negative_data_rejection,
    positive_data_acceptance_but_business_rules,
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


@pytest.mark.parametrize("label", sorted(BUSINESS_RULE_FIELDS))
def test_business_rules_are_documented(label):
    """Every field excused above is one the operation's 400 response names in its rules."""
    method, path = label.split(" ", 1)
    description = schema[path][method].definition.raw["responses"]["400"]["description"]
    documented = set(re.findall(r"^- `([^`.]+)", description, re.MULTILINE))
    assert documented == BUSINESS_RULE_FIELDS[label]


def test_country_pattern_is_exactly_the_known_codes():
    """Country codes are documented as a pattern rather than an enum of some 250 codes (which
    the coverage phase would try one by one); it must still name exactly the known codes."""
    market = schema.raw_schema["components"]["schemas"]["DealIn"]["properties"]["market"]
    pattern = re.compile(market["pattern"])
    pairs = {a + b for a in string.ascii_uppercase for b in string.ascii_uppercase}
    assert {code for code in pairs if pattern.fullmatch(code)} == set(countries())
