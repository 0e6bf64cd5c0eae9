"""Pages of the policy app, mounted at /o/<org_slug>/policy/."""

from django.urls import URLPattern

app_name = "policy"

urlpatterns: list[URLPattern] = []
