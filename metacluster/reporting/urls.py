from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:acronym>/", views.programme_reports, name="programme"),
    path("<slug:acronym>/periods/generate/", views.generate, name="generate"),
    path("<slug:acronym>/periods/<int:number>/", views.period_report, name="period"),
    path("<slug:acronym>/periods/<int:number>/edit/", views.period_edit, name="period_edit"),
    path(
        "<slug:acronym>/periods/<int:number>/report.<str:fmt>",
        views.period_export,
        name="period_export",
    ),
    path(
        "<slug:acronym>/periods/<int:number>/report.<str:fmt>/job",
        views.period_export_job,
        name="period_export_job",
    ),
    path("<slug:acronym>/partners/<int:organisation_id>/", views.partner, name="partner"),
]
