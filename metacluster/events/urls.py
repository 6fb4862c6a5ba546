from django.urls import include, path

from . import organiser, views

app_name = "events"

# The pages of one event, reached by login (/events/<pk>/...) or by a buyer's secret link
# (/events/p/<key>/...); the views see an `Actor` either way (access.py).
event_patterns = [
    path("", views.detail, name="detail"),
    path("edit/", organiser.event_edit, name="edit"),
    path("sessions/", organiser.sessions, name="sessions"),
    path("participants/", views.participants, name="participants"),
    path("participants/add/", organiser.participant_add, name="participant_add"),
    path("participants/<int:pid>/", views.participant, name="participant"),
    path("participants/<int:pid>/edit/", views.profile_edit, name="profile_edit"),
    path("participants/<int:pid>/entries/new/", views.entry_edit, name="entry_new"),
    path("participants/<int:pid>/entries/<int:eid>/", views.entry_edit, name="entry_edit"),
    path("participants/<int:pid>/request/", views.request_send, name="request_send"),
    path("participants/<int:pid>/link/", organiser.participant_link, name="participant_link"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:rid>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:rid>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:rid>/book/", views.request_book, name="request_book"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("schedule/", organiser.schedule, name="schedule"),
    path("schedule/run/", organiser.schedule_all, name="schedule_all"),
    path("schedule/publish/", organiser.publish, name="publish"),
    path("grid/", organiser.grid, name="grid"),
    path("meetings/new/", organiser.arrange, name="arrange"),
    path("meetings/<int:mid>/", organiser.meeting, name="meeting"),
    path("meetings/<int:mid>/invite.ics", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:mid>/outcome/", views.meeting_outcome, name="meeting_outcome"),
    path("analytics/", organiser.analytics_view, name="analytics"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", organiser.event_new, name="new"),
    path("<int:pk>/", include(event_patterns)),
    path("p/<str:key>/", include((event_patterns, "link"), namespace="link")),
]
