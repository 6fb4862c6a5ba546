from django.urls import path

from . import views

app_name = "deals"
urlpatterns = [
    path("", views.deal_list, name="list"),
    path("new/", views.deal_edit, name="create"),
    path("<int:pk>/", views.deal_detail, name="detail"),
    path("<int:pk>/edit/", views.deal_edit, name="edit"),
]
