from django.contrib import admin

from .models import Booking, Testbed


@admin.register(Testbed)
class TestbedAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "town", "country", "capacity", "active"]
    list_filter = ["kind", "country", "active"]
    search_fields = ["name", "town"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are made and used through the site, which keeps seats and deliveries right."""

    list_display = ["starts_at", "testbed", "company", "seat", "status"]
    list_filter = ["testbed", "status"]
    search_fields = ["company__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
