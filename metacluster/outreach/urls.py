from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("programmes/<slug:acronym>/outreach/", views.message_list, name="list"),
    path("programmes/<slug:acronym>/outreach/new/", views.message_new, name="new"),
    path("programmes/<slug:acronym>/outreach/<int:pk>/", views.message_detail, name="detail"),
    path("programmes/<slug:acronym>/outreach/<int:pk>/send/", views.message_send, name="send"),
    path("programmes/<slug:acronym>/outreach/templates/", views.template_list, name="templates"),
    path(
        "programmes/<slug:acronym>/outreach/templates/new/",
        views.template_edit,
        name="template_new",
    ),
    path(
        "programmes/<slug:acronym>/outreach/templates/<int:pk>/",
        views.template_edit,
        name="template_edit",
    ),
    path(
        "programmes/<slug:acronym>/outreach/templates/<int:pk>/delete/",
        views.template_delete,
        name="template_delete",
    ),
    path("outreach/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("outreach/reminders/", views.reminders, name="reminders"),
]
