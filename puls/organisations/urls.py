from django.urls import path

from puls.organisations.views import activation, audit, dashboard, imports, panels, people, roles, units

app_name = "organisations"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Unit tree
    path("units/", units.unit_tree, name="unit_tree"),
    path("units/<uuid:unit_id>/", units.unit_detail, name="unit_detail"),
    # People
    path("people/", people.person_list, name="person_list"),
    path("people/<uuid:person_id>/", people.person_detail, name="person_detail"),
    path(
        "people/<uuid:person_id>/activation/",
        activation.person_send_activation,
        name="person_send_activation",
    ),
    # Roles
    path("roles/", roles.role_list, name="role_list"),
    path("roles/assign/", roles.role_assign, name="role_assign"),
    path("roles/<uuid:assignment_id>/remove/", roles.role_remove, name="role_remove"),
    # Standing employee panels
    path("panels/", panels.panel_list, name="panel_list"),
    path("panels/new/", panels.panel_create, name="panel_create"),
    path("panels/<uuid:panel_id>/", panels.panel_edit, name="panel_edit"),
    # Import
    path("import/", imports.import_start, name="import_start"),
    path("import/<uuid:job_id>/", imports.import_preview, name="import_preview"),
    path("import/<uuid:job_id>/apply/", imports.import_apply, name="import_apply"),
    path("import/<uuid:job_id>/progress/", imports.import_progress, name="import_progress"),
    # Audit log
    path("audit/", audit.audit_log, name="audit_log"),
]
