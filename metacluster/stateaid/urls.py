from django.urls import path

from . import views

app_name = "stateaid"
urlpatterns = [
    path("", views.index, name="index"),
]
