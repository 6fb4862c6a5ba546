from django.urls import path

from . import views

app_name = "testbeds"
urlpatterns = [
    path("", views.index, name="index"),
]
