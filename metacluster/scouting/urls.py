from django.urls import path

from . import views

app_name = "scouting"
urlpatterns = [
    path("", views.index, name="index"),
]
