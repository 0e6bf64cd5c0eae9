"""Pages of the actions app, mounted at /o/<org_slug>/actions/."""

from django.urls import path

from puls.actions import views, views_apv, views_follow_up

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("new/", views.action_create, name="action_create"),
    path("overview/", views.dashboard, name="action_dashboard"),
    path("export/plan.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export/plan.pdf", views.export_pdf, name="export_pdf"),
    path("<uuid:action_id>/", views.action_detail, name="action_detail"),
    path("<uuid:action_id>/edit/", views.action_edit, name="action_edit"),
    path("surveys/<uuid:survey_id>/follow-up/", views_follow_up.follow_up, name="follow_up"),
    path(
        "surveys/<uuid:survey_id>/follow-up/reason/",
        views_follow_up.follow_up_reason,
        name="follow_up_reason",
    ),
    path(
        "surveys/<uuid:survey_id>/follow-up/level/", views_follow_up.follow_up_level, name="follow_up_level"
    ),
    path("apv/", views_apv.apv_overview, name="apv_overview"),
    path("apv/new/", views_apv.apv_start, name="apv_start"),
    path("apv/discussion/", views_apv.discussion_record, name="discussion_record"),
    path("apv/<uuid:cycle_id>/", views_apv.apv_detail, name="apv_detail"),
    path("apv/<uuid:cycle_id>/findings/", views_apv.apv_finding_add, name="apv_finding_add"),
    path("apv/<uuid:cycle_id>/advance/", views_apv.apv_advance, name="apv_advance"),
]
