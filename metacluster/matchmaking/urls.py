from django.urls import path

from . import views

app_name = "matchmaking"
urlpatterns = [
    path("", views.index, name="index"),
]
