from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("programmes/<slug:acronym>/outreach/", views.message_list, name="list"),
    path("programmes/<slug:acronym>/outreach/new/", views.message_new, name="new"),
    path("programmes/<slug:acronym>/outreach/<int:pk>/", views.message_detail, name="detail"),
    path("programmes/<slug:acronym>/outreach/<int:pk>/send/", views.message_send, name="send"),
    path("outreach/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("outreach/reminders/", views.reminders, name="reminders"),
]
