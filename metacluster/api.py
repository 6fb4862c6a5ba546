"""The JSON API under /api/v1/: one NinjaAPI assembled from each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Metacluster API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
