from django.urls import path

from . import views

app_name = "stateaid"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<slug:acronym>/", views.programme_ledger, name="programme"),
    path("programmes/<slug:acronym>/settings/", views.settings_edit, name="settings"),
    path("companies/<int:pk>/", views.company_ledger, name="company"),
    path("companies/<int:pk>/letter/<slug:acronym>/", views.aid_letter, name="letter"),
    path("companies/<int:pk>/declarations/new/", views.declaration_edit, name="declaration_new"),
    path(
        "companies/<int:pk>/declarations/<int:declaration_pk>/",
        views.declaration_edit,
        name="declaration_edit",
    ),
    path("undertakings/", views.undertaking_list, name="undertakings"),
    path("undertakings/new/", views.undertaking_edit, name="undertaking_new"),
    path("undertakings/<int:pk>/", views.undertaking_edit, name="undertaking_edit"),
]
