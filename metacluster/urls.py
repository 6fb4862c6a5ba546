from django.contrib import admin
from django.urls import include, path

from metacluster.accounts.views import home
from metacluster.api import api

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("metacluster.accounts.urls")),
    path("programmes/", include("metacluster.programmes.urls")),
    path("programmes/", include("metacluster.services.urls")),
    path("programmes/", include("metacluster.consortia.urls")),
    path("companies/", include("metacluster.companies.urls")),
    path("deals/", include("metacluster.deals.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
