"""The process website, mounted at /p/<org_slug>/dialog/ (public, or internal per DESIGN §4.13)."""

from django.urls import path

from puls.participation import views_site

app_name = "dialogue_site"

urlpatterns = [
    path("<uuid:process_id>/", views_site.process, name="process"),
]
