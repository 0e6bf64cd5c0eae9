"""Pages of the policy app, mounted at /o/<org_slug>/policy/."""

from django.urls import path

from puls.policy.views import local, publication, report, tree, walks

app_name = "policy"

urlpatterns = [
    # The central tree
    path("", tree.tree, name="tree"),
    path("new/", tree.node_create, name="node_create"),
    path("export.xlsx", tree.tree_xlsx, name="tree_xlsx"),
    path("nodes/<uuid:node_id>/", tree.node_detail, name="node_detail"),
    path("nodes/<uuid:node_id>/edit/", tree.node_edit, name="node_edit"),
    path("nodes/<uuid:node_id>/status/", tree.node_status, name="node_status"),
    path("nodes/<uuid:node_id>/delete/", tree.node_delete, name="node_delete"),
    path("nodes/<uuid:node_id>/move/", tree.node_move, name="node_move"),
    path("nodes/<uuid:node_id>/versions/", tree.node_diff, name="node_diff"),
    path("nodes/<uuid:node_id>/sources/add/", tree.citation_add, name="citation_add"),
    path("nodes/<uuid:node_id>/action/", local.node_action, name="node_action"),
    path(
        "nodes/<uuid:node_id>/sources/<uuid:link_id>/remove/",
        tree.citation_remove,
        name="citation_remove",
    ),
    # The published tree
    path("published/", publication.publication, name="publication"),
    path("published/settings/", publication.publication_settings, name="publication_settings"),
    path("published/handbook.pdf", publication.handbook_pdf, name="handbook_pdf"),
    # Local interpretations
    path("units/", local.unit_list, name="unit_list"),
    path("units/<uuid:unit_id>/", local.unit_detail, name="unit_detail"),
    path("units/<uuid:unit_id>/adopt/", local.unit_adopt, name="unit_adopt"),
    path("units/<uuid:unit_id>/new/", local.local_node_create, name="local_node_create"),
    path(
        "units/<uuid:unit_id>/values/<uuid:node_id>/",
        local.local_reading_edit,
        name="local_reading_edit",
    ),
    # Værdivejen
    path("units/<uuid:unit_id>/walks/new/", walks.walk_create, name="walk_create"),
    path("walks/<uuid:walk_id>/", walks.walk_detail, name="walk_detail"),
    path("walks/<uuid:walk_id>/stops/", walks.walk_stop, name="walk_stop"),
    path("walks/<uuid:walk_id>/complete/", walks.walk_complete, name="walk_complete"),
    path("walks/<uuid:walk_id>/poster.pdf", walks.walk_poster, name="walk_poster"),
    path(
        "walks/<uuid:walk_id>/answers/<uuid:answer_id>/remove/",
        walks.walk_answer_delete,
        name="walk_answer_delete",
    ),
    path(
        "walks/<uuid:walk_id>/answers/<uuid:answer_id>/action/",
        walks.walk_answer_action,
        name="walk_answer_action",
    ),
    # Report-back
    path("report-back/", report.round_list, name="round_list"),
    path("report-back/new/", report.round_create, name="round_create"),
    path("report-back/<uuid:round_id>/", report.round_detail, name="round_detail"),
    path("report-back/<uuid:round_id>/edit/", report.round_edit, name="round_edit"),
    path("report-back/<uuid:round_id>/open/", report.round_open, name="round_open"),
    path("report-back/<uuid:round_id>/close/", report.round_close, name="round_close"),
    path("report-back/<uuid:round_id>/remind/", report.round_remind, name="round_remind"),
    path("report-back/<uuid:round_id>/compiled.pdf", report.round_pdf, name="round_pdf"),
    path("report-back/<uuid:round_id>/answers.xlsx", report.round_xlsx, name="round_xlsx"),
    path(
        "report-back/<uuid:round_id>/units/<uuid:unit_id>/",
        report.round_answer,
        name="round_answer",
    ),
]
