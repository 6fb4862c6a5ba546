from django.urls import path

from . import views

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
]
