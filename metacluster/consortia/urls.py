from django.urls import path

from . import views

app_name = "consortia"
urlpatterns = [
    path("<slug:acronym>/consortia/", views.consortium_list, name="list"),
]
