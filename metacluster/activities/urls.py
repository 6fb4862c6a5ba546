from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("<slug:acronym>/activities/", views.activity_list, name="list"),
    path("<slug:acronym>/activities/new/", views.activity_new, name="new"),
    path("<slug:acronym>/activities/<int:pk>/", views.activity_detail, name="detail"),
    path("<slug:acronym>/activities/<int:pk>/register/", views.activity_register, name="register"),
    path(
        "<slug:acronym>/activities/<int:pk>/registrations/<int:registration>/cancel/",
        views.registration_cancel,
        name="cancel",
    ),
    path("<slug:acronym>/activities/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<slug:acronym>/activities/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<slug:acronym>/activities/<int:pk>/deals/", views.link_deal, name="link_deal"),
    path("<slug:acronym>/activities/<int:pk>/events/", views.link_event, name="link_event"),
    path(
        "<slug:acronym>/activities/<int:pk>/events/<int:event>/unlink/",
        views.unlink_event,
        name="unlink_event",
    ),
]
