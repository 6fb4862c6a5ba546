from django.urls import path

from . import views

app_name = "scouting"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.bulk_add, name="bulk_add"),
    path("searches/", views.search_save, name="search_save"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("programmes/<slug:acronym>/score/", views.profile_edit, name="profile_edit"),
    path("imports/", views.imports, name="imports"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate_review, name="duplicate_review"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
