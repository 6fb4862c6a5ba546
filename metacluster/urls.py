from django.contrib import admin
from django.urls import include, path

from metacluster import audit
from metacluster.accounts.views import home
from metacluster.api import api
from metacluster.jobs.health import healthz, readyz

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("metacluster.accounts.urls")),
    path("programmes/", include("metacluster.programmes.urls")),
    path("programmes/", include("metacluster.services.urls")),
    path("programmes/", include("metacluster.consortia.urls")),
    path("programmes/", include("metacluster.activities.urls")),
    path("companies/", include("metacluster.companies.urls")),
    path("deals/", include("metacluster.deals.urls")),
    path("requests/", include("metacluster.servicerequests.urls")),
    path("scouting/", include("metacluster.scouting.urls")),
    path("readiness/", include("metacluster.readiness.urls")),
    path("markets/", include("metacluster.markets.urls")),
    path("matchmaking/", include("metacluster.matchmaking.urls")),
    path("events/", include("metacluster.events.urls")),
    path("reporting/", include("metacluster.reporting.urls")),
    path("stateaid/", include("metacluster.stateaid.urls")),
    path("testbeds/", include("metacluster.testbeds.urls")),
    path("guides/", include("metacluster.guides.urls")),
    path("history/<slug:kind>/<int:pk>/", audit.history, name="history"),
    path("privacy/", include("metacluster.privacy.urls")),
    path("", include("metacluster.enrolment.urls")),
    path("", include("metacluster.outreach.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("jobs/", include("metacluster.jobs.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
