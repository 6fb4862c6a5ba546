from django.urls import path

from . import views

app_name = "enrolment"
urlpatterns = [
    path("join/<slug:acronym>/", views.public_page, name="public"),
    path("join/<slug:acronym>/received/", views.received, name="received"),
    path("programmes/<slug:acronym>/applications/", views.application_list, name="applications"),
    path(
        "programmes/<slug:acronym>/applications/<int:pk>/",
        views.application_detail,
        name="application",
    ),
    path(
        "programmes/<slug:acronym>/applications/<int:pk>/accept/",
        views.application_accept,
        name="accept",
    ),
    path(
        "programmes/<slug:acronym>/applications/<int:pk>/decline/",
        views.application_decline,
        name="decline",
    ),
    path("programmes/<slug:acronym>/eligibility/", views.eligibility_edit, name="eligibility"),
]
