"""The process website, mounted at /p/<org_slug>/dialog/ (public, or internal per DESIGN §4.13).

`site_access.site_path` reverses "process" with org_slug and process_id: the invitation cookie's
path, so every page below it (rounds, exports) receives the cookie."""

from django.urls import path

from puls.participation import views_site

app_name = "dialogue_site"

_round = "<uuid:process_id>/runder/<uuid:round_id>/"

urlpatterns = [
    path("<uuid:process_id>/", views_site.process_page, name="process"),
    path(_round, views_site.round_page, name="round"),
    path(_round + "pdf/", views_site.round_pdf_view, name="round_pdf"),
    path(_round + "pdf/<uuid:export_id>/", views_site.round_pdf_status, name="round_pdf_status"),
    path(_round + "pdf/<uuid:export_id>/progress/", views_site.round_pdf_progress, name="round_pdf_progress"),
    path(_round + "pdf/<uuid:export_id>/download/", views_site.round_pdf_download, name="round_pdf_download"),
    path(_round + "xlsx/", views_site.round_xlsx_view, name="round_xlsx"),
]
