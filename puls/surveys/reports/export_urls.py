"""PDF and XLSX exports of a survey report (namespace "survey_report_export").

Mounted under /o/<org_slug>/surveys/: the routes carry the survey id, so they sit beside the report
pages at /o/<org>/surveys/<survey id>/report/exports/….
"""

from django.urls import path

from puls.surveys.reports.exports import views

app_name = "survey_report_export"

urlpatterns = [
    path("<uuid:survey_id>/report/exports/", views.export_request, name="request"),
    path("<uuid:survey_id>/report/exports/<uuid:export_id>/", views.export_status, name="status"),
    path(
        "<uuid:survey_id>/report/exports/<uuid:export_id>/progress/", views.export_progress, name="progress"
    ),
    path(
        "<uuid:survey_id>/report/exports/<uuid:export_id>/download/", views.export_download, name="download"
    ),
]
