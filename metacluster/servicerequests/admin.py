from django.contrib import admin

from .models import RequestComment, RequestEvent, RequestNotice, ServiceRequest


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "organisation", "at", "reason"]
    can_delete = False


class RequestCommentInline(admin.TabularInline):
    model = RequestComment
    extra = 0
    readonly_fields = ["author", "organisation", "created_at"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Status changes go through the request pages or the API (flow), which keep the
    history, the delivery and the notifications together; here they are read-only."""

    list_display = ["created_at", "service", "company", "referring_organisation", "status"]
    list_filter = ["status", "origin", "service__programme", "service__provider"]
    search_fields = ["company__name", "service__name"]
    autocomplete_fields = ["company"]
    readonly_fields = ["status", "delivery", "advisor", "planned_for", "version"]
    filter_horizontal = ["shared_contacts"]
    inlines = [RequestEventInline, RequestCommentInline]


@admin.register(RequestNotice)
class RequestNoticeAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "recipient", "event", "comment"]
    readonly_fields = ["event", "comment", "recipient", "sent_at"]
