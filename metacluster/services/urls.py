from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("<slug:acronym>/services/", views.catalogue, name="catalogue"),
    path("<slug:acronym>/services/new/", views.service_edit, name="service_new"),
    path("<slug:acronym>/services/<int:pk>/", views.service_edit, name="service_edit"),
    path("<slug:acronym>/deliveries/", views.delivery_list, name="deliveries"),
    path("<slug:acronym>/deliveries/new/", views.delivery_new, name="delivery_new"),
    path("<slug:acronym>/deliveries/attendance/", views.attendance, name="attendance"),
]
