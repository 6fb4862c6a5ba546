from django.contrib import admin

from .models import Event, Meeting, MeetingRequest, Participant, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "format", "scheduling_mode", "agenda_status"]
    list_filter = ["programme", "format", "agenda_status"]
    inlines = [SessionInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "kind", "country", "time_zone"]
    list_filter = ["event", "kind"]
    exclude = ["token_hash"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "event", "status", "created_at"]
    list_filter = ["event", "status"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "table", "status", "locked", "sequence"]
    list_filter = ["event", "status"]
