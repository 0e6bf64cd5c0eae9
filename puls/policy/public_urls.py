"""The public page of an organisation's adopted policy tree, mounted at /p/<org_slug>/policy/ (no
login; a 404 unless the organisation chose to publish)."""

from django.urls import path

from puls.policy.views import publication

app_name = "policy_public"

urlpatterns = [
    path("", publication.public_page, name="page"),
    path("handbook.pdf", publication.public_handbook, name="handbook"),
]
