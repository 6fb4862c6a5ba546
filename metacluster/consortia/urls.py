from django.urls import path

from . import views

app_name = "consortia"
urlpatterns = [
    path("<slug:acronym>/consortia/", views.consortium_list, name="list"),
    path("<slug:acronym>/consortia/<int:pk>/", views.consortium_detail, name="detail"),
    path("<slug:acronym>/consortia/<int:pk>/edit/", views.consortium_edit, name="edit"),
    path("<slug:acronym>/consortia/<int:pk>/offer.json", views.consortium_offer, name="offer"),
    path("<slug:acronym>/consortia/needs/new/", views.need_edit, name="need_create"),
    path("<slug:acronym>/consortia/needs/<int:pk>/", views.need_detail, name="need"),
    path("<slug:acronym>/consortia/needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("<slug:acronym>/consortia/needs/<int:pk>/propose/", views.need_propose, name="propose"),
    path("<slug:acronym>/consortia/batch/", views.batch, name="batch"),
    path("<slug:acronym>/consortia/rules/", views.rules, name="rules"),
    path("<slug:acronym>/consortia/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path(
        "<slug:acronym>/consortia/proposals/<int:pk>/members/",
        views.proposal_members,
        name="proposal_members",
    ),
    path(
        "<slug:acronym>/consortia/proposals/<int:pk>/invite/",
        views.proposal_invite,
        name="proposal_invite",
    ),
    path(
        "<slug:acronym>/consortia/proposals/<int:pk>/answers/<int:member>/",
        views.proposal_respond,
        name="proposal_respond",
    ),
    path(
        "<slug:acronym>/consortia/proposals/<int:pk>/discard/",
        views.proposal_discard,
        name="proposal_discard",
    ),
    path(
        "<slug:acronym>/consortia/proposals/<int:pk>/form/",
        views.proposal_form,
        name="proposal_form",
    ),
]
