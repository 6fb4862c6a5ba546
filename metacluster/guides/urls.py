from django.urls import path

from . import views

app_name = "guides"
urlpatterns = [
    path("", views.index, name="index"),
    path("markets/<str:market>/", views.guide, name="guide"),
    path("markets/<str:market>/pdf/", views.guide_pdf, name="guide_pdf"),
    path("barriers/new/", views.barrier_edit, name="barrier_create"),
    path("barriers/<int:pk>/", views.barrier_detail, name="barrier"),
    path("barriers/<int:pk>/edit/", views.barrier_edit, name="barrier_edit"),
    path("barriers/<int:pk>/confirm/", views.barrier_confirm, name="barrier_confirm"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/reject/", views.report_reject, name="report_reject"),
    path("studies/<int:study_pk>/barriers/", views.add_to_study, name="add_to_study"),
]
