from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("company/<int:pk>/", views.company, name="company"),
    path("company/<int:pk>/export.<str:fmt>", views.company_export, name="company_export"),
    path("company/<int:pk>/erase/", views.company_erase, name="company_erase"),
    path("contact/<int:pk>/export.<str:fmt>", views.contact_export, name="contact_export"),
    path("contact/<int:pk>/erase/", views.contact_erase, name="contact_erase"),
    path("contact/<int:pk>/consent/", views.contact_consent, name="contact_consent"),
    path("user/<int:pk>/export.<str:fmt>", views.user_export, name="user_export"),
    path("user/<int:pk>/erase/", views.user_erase, name="user_erase"),
]
