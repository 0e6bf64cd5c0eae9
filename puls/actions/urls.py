"""Pages of the actions app, mounted at /o/<org_slug>/actions/."""

from django.urls import URLPattern

app_name = "actions"

urlpatterns: list[URLPattern] = []
