"""HR pages for surveys, questionnaires and item banks, mounted at /o/<org_slug>/surveys/."""

from django.urls import URLPattern, URLResolver, include, path

from puls.surveys import views_admin

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    # Surveys
    path("", views_admin.survey_list, name="survey_list"),
    path("new/", views_admin.survey_create, name="survey_create"),
    path("<uuid:survey_id>/", views_admin.survey_detail, name="survey_detail"),
    path("<uuid:survey_id>/edit/", views_admin.survey_edit, name="survey_edit"),
    path("<uuid:survey_id>/launch/", views_admin.survey_launch, name="survey_launch"),
    path("<uuid:survey_id>/extend/", views_admin.survey_extend, name="survey_extend"),
    path("<uuid:survey_id>/close/", views_admin.survey_close, name="survey_close"),
    path("<uuid:survey_id>/letters/", views_admin.survey_letters, name="survey_letters"),
    path("<uuid:survey_id>/local-items/", views_admin.local_items, name="local_items"),
    path(
        "<uuid:survey_id>/local-items/<uuid:local_item_id>/remove/",
        views_admin.local_item_remove,
        name="local_item_remove",
    ),
    # Questionnaires
    path("questionnaires/", views_admin.questionnaire_list, name="questionnaire_list"),
    path(
        "questionnaires/<uuid:questionnaire_id>/",
        views_admin.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<uuid:questionnaire_id>/copy/",
        views_admin.questionnaire_copy,
        name="questionnaire_copy",
    ),
    path(
        "questionnaires/<uuid:questionnaire_id>/items/add/",
        views_admin.questionnaire_item_add,
        name="questionnaire_item_add",
    ),
    path(
        "questionnaires/<uuid:questionnaire_id>/items/<uuid:section_item_id>/remove/",
        views_admin.questionnaire_item_remove,
        name="questionnaire_item_remove",
    ),
    # Item banks
    path("item-banks/", views_admin.item_bank_list, name="item_bank_list"),
    path("item-banks/upload/", views_admin.item_bank_upload, name="item_bank_upload"),
    path("item-banks/<uuid:bank_id>/", views_admin.item_bank_detail, name="item_bank_detail"),
]

# --- Paths added by the answering pages go below this line (append only). ---

# Survey reports (namespace "surveys:report"): /o/<org>/surveys/reports/… and /<survey id>/report/…
urlpatterns += [path("", include("puls.surveys.reports.urls"))]
