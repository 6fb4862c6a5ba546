from django.urls import path

from . import views

app_name = "readiness"
urlpatterns = [
    path("", views.index, name="index"),
]
