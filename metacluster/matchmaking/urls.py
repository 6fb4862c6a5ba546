from django.urls import path

from . import buyers, views

app_name = "matchmaking"
urlpatterns = [
    path("", views.index, name="index"),
    path("opportunities/new/", views.opportunity_edit, name="opportunity_create"),
    path("opportunities/import/", views.opportunity_import, name="import"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/interest/", views.interest, name="interest"),
    path("opportunities/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("opportunities/<int:pk>/notify/", views.notify_company, name="notify"),
    path("offers/", views.offers, name="offers"),
    path("offers/new/", views.offer_edit, name="offer_create"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("companies/<int:pk>/", views.company_matches, name="company"),
    path("buyers/", buyers.buyers, name="buyers"),
    path("buyers/<int:pk>/revoke/", buyers.buyer_revoke, name="buyer_revoke"),
    # An invited buyer's own pages, reached through their personal link (no account).
    path("b/<str:key>/", buyers.buyer_home, name="buyer_home"),
    path("b/<str:key>/new/", buyers.buyer_opportunity_edit, name="buyer_create"),
    path("b/<str:key>/<int:pk>/edit/", buyers.buyer_opportunity_edit, name="buyer_edit"),
]
