"""The JSON API under /api/v1/: one NinjaAPI assembled from each app's router.

Authentication is an API token (`Authorization: Bearer <key>`, see `metacluster create-token`)
or the browser session (which then needs the CSRF token on unsafe methods). Permissions are the
same as in the UI: records you may not see are 404, records you see but may not change are 403.
Every 4xx answer has one shape: `{"error": "...", "fields": {"field": ["..."]}}`.
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
    from metacluster.companies.api import router as companies
    from metacluster.consortia.api import router as consortia
    from metacluster.deals.api import router as deals
    from metacluster.programmes.api import router as programmes
    from metacluster.services.api import router as services

    for router in (accounts, programmes, companies, services, deals, consortia):
        api.add_router("", router)


_add_routers()
