from django.urls import path

from . import views

app_name = "markets"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("studies/", views.study_list, name="studies"),
    path("studies/new/", views.study_edit, name="study_create"),
    path("studies/<int:pk>/", views.study_detail, name="study"),
    path("studies/<int:pk>/edit/", views.study_edit, name="study_edit"),
    path("studies/<int:pk>/request/", views.study_request, name="study_request"),
    path("potential/", views.potential, name="potential"),
    path("potential/upload/", views.potential_upload, name="potential_upload"),
]
