from django.urls import path

from . import views

app_name = "readiness"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/report.pdf", views.report, name="report"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/request/<int:service_id>/", views.request_recommended, name="request"),
    path("<int:pk>/delivery/", views.retry_delivery, name="delivery"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("programmes/<slug:acronym>/instrument/", views.instrument, name="instrument"),
]
