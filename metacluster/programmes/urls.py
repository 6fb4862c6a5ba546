from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("new/from/", views.programme_clone, name="clone"),
    path("<slug:acronym>/", views.dashboard, name="dashboard"),
    path("<slug:acronym>/edit/", views.programme_edit, name="edit"),
    path("<slug:acronym>/setup.json", views.setup_download, name="setup_download"),
    path("<slug:acronym>/indicators/new/", views.indicator_edit, name="indicator_new"),
    path(
        "<slug:acronym>/indicators/<str:code>/", views.indicator_records, name="indicator_records"
    ),
    path("<slug:acronym>/indicators/<str:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path(
        "<slug:acronym>/indicators/<str:code>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
]
