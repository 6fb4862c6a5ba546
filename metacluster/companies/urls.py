from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("new/", views.company_create, name="create"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/edit/", views.company_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/notes/", views.note_create, name="note_create"),
    path("<int:pk>/events/<int:event_pk>/join/", views.join_event, name="join_event"),
    path("engagements/<int:pk>/stage/", views.engagement_move, name="engagement_move"),
]
