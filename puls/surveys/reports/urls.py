"""Survey report pages, mounted inside /o/<org_slug>/surveys/ (namespace "surveys:report")."""

from django.urls import path

from puls.surveys.reports import views

app_name = "report"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/benchmark/", views.benchmark_settings, name="benchmark"),
    path("<uuid:survey_id>/report/", views.report_start, name="start"),
    path("<uuid:survey_id>/report/guide/", views.report_guide, name="guide"),
    path("<uuid:survey_id>/report/release/", views.report_release, name="release"),
    path("<uuid:survey_id>/report/<uuid:unit_id>/", views.report_overview, name="overview"),
    path("<uuid:survey_id>/report/<uuid:unit_id>/heatmap/", views.report_heatmap, name="heatmap"),
    path(
        "<uuid:survey_id>/report/<uuid:unit_id>/scales/<uuid:scale_id>/",
        views.report_scale,
        name="scale",
    ),
    path("<uuid:survey_id>/report/<uuid:unit_id>/comments/", views.report_comments, name="comments"),
    path("<uuid:survey_id>/report/<uuid:unit_id>/drivers/", views.report_drivers, name="drivers"),
]
