from django.contrib import admin

from .models import Delivery, Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "provider", "kind", "unit", "value_per_unit", "active"]
    list_filter = ["programme", "kind", "provider"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["date", "company", "service", "provider", "quantity"]
    list_filter = ["service__programme", "provider"]
    search_fields = ["company__name"]
    autocomplete_fields = ["company"]
