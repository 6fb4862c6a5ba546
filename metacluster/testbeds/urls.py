from django.urls import path

from . import views

app_name = "testbeds"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.testbed_edit, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.testbed_edit, name="edit"),
    path("<int:pk>/book/", views.book_slot, name="book"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("bookings/<int:pk>/use/", views.booking_use, name="use"),
]
