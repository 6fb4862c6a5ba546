"""The JSON API under /api/v1/: one NinjaAPI assembled from each app's router.

Authentication is an API token (`Authorization: Bearer <key>`, see `metacluster create-token`)
or the browser session (which then needs the CSRF token on unsafe methods). Permissions are the
same as in the UI: records you may not see are 404, records you see but may not change are 403.
Every 4xx answer has one shape: `{"error": "...", "fields": {"field": ["..."]}}`.

Input is read as its schema says, without guessing: a boolean is `true` or `false`, a whole
number is a JSON number (not a string), a date is text such as `2021-03-15`, a time is RFC 3339
text with its UTC offset, and a decimal is a string such as `"12.50"` (the form in which the API
answers) or a whole number. Text cannot contain NUL characters. Input that matches its schema
can still be refused (400) by a business rule, such as a delivery date inside the programme's
period; each operation that has such rules lists them in its 400 response.
"""

from metacluster.apiutils import AUTH, MetaclusterAPI

api = MetaclusterAPI(
    title="Metacluster API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=AUTH,
)


def _add_routers() -> None:
    # Imported here: the routers import models, and this module is imported by urls.py.
    from metacluster.accounts.api import router as accounts
    from metacluster.activities.api import router as activities
    from metacluster.companies.api import router as companies
    from metacluster.consortia.api import router as consortia
    from metacluster.deals.api import router as deals
    from metacluster.enrolment.api import router as enrolment
    from metacluster.events.api import router as events
    from metacluster.guides.api import router as guides
    from metacluster.jobs.api import router as jobs
    from metacluster.markets.api import router as markets
    from metacluster.matchmaking.api import router as matchmaking
    from metacluster.outreach.api import router as outreach
    from metacluster.programmes.api import router as programmes
    from metacluster.readiness.api import router as readiness
    from metacluster.reporting.api import router as reporting
    from metacluster.scouting.api import router as scouting
    from metacluster.servicerequests.api import router as service_requests
    from metacluster.services.api import router as services
    from metacluster.stateaid.api import router as stateaid
    from metacluster.testbeds.api import router as testbeds

    for router in (
        accounts,
        programmes,
        companies,
        services,
        deals,
        consortia,
        scouting,
        readiness,
        markets,
        guides,
        matchmaking,
        events,
        reporting,
        stateaid,
        testbeds,
        jobs,
        activities,
        enrolment,
        outreach,
    ):
        api.add_router("", router)
    api.add_router("/services/requests", service_requests)


_add_routers()
