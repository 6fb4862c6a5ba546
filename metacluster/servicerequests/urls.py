from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("", views.received, name="received"),
    path("sent/", views.sent, name="sent"),
    path("new/", views.new, name="new"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/sharing/", views.sharing, name="sharing"),
]
